package cn.legalkoi.knowledge;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads guidance and statute files from the knowledge-base directories. A bad file is reported with its
 * path and reason and skipped; it never stops the load. Blocking: call it from a worker.
 */
public final class KnowledgeLoader {
  private final List<Path> roots;
  private final GuidanceParser guidanceParser = new GuidanceParser();
  private final StatuteParser statuteParser = new StatuteParser();

  public KnowledgeLoader(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** A digest of every knowledge file's path and content, cheap enough to compute at every start. */
  public String fingerprint() throws IOException {
    MessageDigest digest = sha256();
    for (KnowledgeFile file : files()) {
      addToDigest(digest, file.path, Files.readAllBytes(file.path));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public KnowledgeSnapshot load() throws IOException {
    MessageDigest digest = sha256();
    List<LoadProblem> problems = new ArrayList<>();
    Map<String, GuidanceDocument> guidance = new LinkedHashMap<>();
    List<Statute> statutes = new ArrayList<>();
    for (KnowledgeFile knowledgeFile : files()) {
      Path file = knowledgeFile.path;
      byte[] bytes = Files.readAllBytes(file);
      addToDigest(digest, file, bytes);
      String path = file.toString();
      String text;
      try {
        text = Utf8Files.decode(bytes);
      } catch (CharacterCodingException e) {
        problems.add(LoadProblem.skipped(path, "not valid UTF-8 text; save the file as UTF-8"));
        continue;
      }
      String name = file.getFileName().toString();
      if (knowledgeFile.guidance) {
        loadGuidance(text, path, name.substring(0, name.length() - 3), guidance, problems);
      } else {
        try {
          statutes.add(statuteParser.parse(text, path, name));
        } catch (StatuteParser.InvalidStatuteException e) {
          problems.add(LoadProblem.skipped(path, e.getMessage()));
        }
      }
    }
    List<GuidanceDocument> docs = List.copyOf(guidance.values());
    return new KnowledgeSnapshot(docs, List.copyOf(statutes), currentVersions(statutes), List.copyOf(problems),
        unresolvedCitations(docs, statutes), HexFormat.of().formatHex(digest.digest()));
  }

  private void loadGuidance(String text, String path, String expectedId, Map<String, GuidanceDocument> into,
      List<LoadProblem> problems) {
    try {
      GuidanceDocument doc = guidanceParser.parse(text, path, expectedId);
      GuidanceDocument earlier = into.get(doc.id());
      if (earlier != null) {
        problems.add(LoadProblem.skipped(path, "duplicate id '" + doc.id() + "', already used by " + earlier.path()));
        return;
      }
      into.put(doc.id(), doc);
      List<String> missing = GuidanceParser.missingSections(doc);
      if (!missing.isEmpty()) {
        problems.add(LoadProblem.warning(path, "missing sections: " + String.join(", ", missing)));
      }
    } catch (GuidanceParser.InvalidGuidanceException e) {
      problems.add(LoadProblem.skipped(path, e.getMessage()));
    }
  }

  /** Of several files of one law, the one with the newest version date is the one in force. */
  private static Set<Statute> currentVersions(List<Statute> statutes) {
    Map<String, Statute> newest = new HashMap<>();
    Comparator<Statute> byVersion = Comparator.comparing(Statute::version,
        Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Statute::path);
    for (Statute statute : statutes) {
      newest.merge(statute.shortTitle(), statute, (a, b) -> byVersion.compare(a, b) >= 0 ? a : b);
    }
    Set<Statute> current = Collections.newSetFromMap(new IdentityHashMap<>());
    current.addAll(newest.values());
    return Collections.unmodifiableSet(current);
  }

  /**
   * Basis citations that the loaded statutes cannot confirm: the law is loaded but lacks the article, or no
   * loaded file holds the law at all (often a misspelt name). Nothing is listed while no statutes are loaded.
   */
  private static List<String> unresolvedCitations(List<GuidanceDocument> guidance, List<Statute> statutes) {
    if (statutes.isEmpty()) {
      return List.of();
    }
    Set<String> laws = new HashSet<>();
    Set<String> articles = new HashSet<>();
    for (Statute statute : statutes) {
      laws.add(statute.shortTitle());
      statute.articles().forEach(a -> articles.add(a.key().docId()));
    }
    List<String> unresolved = new ArrayList<>();
    for (GuidanceDocument doc : guidance) {
      for (String citation : doc.basis()) {
        ArticleKey.fromCitation(citation).ifPresent(key -> {
          if (!laws.contains(key.law())) {
            unresolved.add(doc.path() + ": " + citation + " — 《" + key.law() + "》 is not among the loaded statutes");
          } else if (!articles.contains(key.docId())) {
            unresolved.add(doc.path() + ": " + citation + " — no such article in the loaded text of 《" + key.law() + "》");
          }
        });
      }
    }
    return List.copyOf(unresolved);
  }

  private record KnowledgeFile(Path path, boolean guidance) {
  }

  private List<KnowledgeFile> files() throws IOException {
    List<KnowledgeFile> files = new ArrayList<>();
    for (Path root : roots) {
      for (String part : List.of("guidance", "statutes")) {
        Path dir = root.resolve(part);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().endsWith(".md"))
              .sorted()
              .forEach(p -> files.add(new KnowledgeFile(p, part.equals("guidance"))));
        }
      }
    }
    return files;
  }

  private static void addToDigest(MessageDigest digest, Path file, byte[] content) {
    digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(content);
    digest.update((byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
