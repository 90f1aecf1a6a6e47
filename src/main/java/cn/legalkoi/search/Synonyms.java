package cn.legalkoi.search;

import cn.legalkoi.knowledge.TextNormalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-way query-time synonyms from how owners talk to how laws are written (罚钱 ⇒ 罚款). Expansions are
 * searched alongside the literal words, weighted below them; the index is never touched, so editing the
 * file needs no reindex.
 *
 * <p>File format, one rule a line, {@code #} starts a comment:
 * <pre>罚钱 => 罚款
 * 老板 => 法定代表人, 主要负责人</pre>
 */
public final class Synonyms {
  private final Map<String, List<String>> rules;

  private Synonyms(Map<String, List<String>> rules) {
    this.rules = rules;
  }

  public static Synonyms none() {
    return new Synonyms(Map.of());
  }

  /** Parses the rules; a malformed line is an error naming its line number. */
  public static Synonyms parse(String text) {
    Map<String, List<String>> rules = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = TextNormalizer.normalize(lines[i]);
      int comment = line.indexOf('#');
      if (comment >= 0) {
        line = line.substring(0, comment);
      }
      if (line.isBlank()) {
        continue;
      }
      int arrow = line.indexOf("=>");
      if (arrow <= 0) {
        throw new IllegalArgumentException("synonyms line " + (i + 1) + ": expected 'words => law terms'");
      }
      List<String> targets = new ArrayList<>();
      for (String target : line.substring(arrow + 2).split("[,，、]")) {
        if (!target.isBlank()) {
          targets.add(target.strip());
        }
      }
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("synonyms line " + (i + 1) + ": no law terms after '=>'");
      }
      for (String source : line.substring(0, arrow).split("[,，、]")) {
        if (!source.isBlank()) {
          rules.computeIfAbsent(source.strip(), k -> new ArrayList<>()).addAll(targets);
        }
      }
    }
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    rules.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new Synonyms(Map.copyOf(frozen));
  }

  /** The law terms to add for a question, without the ones the question already contains. */
  public List<String> expansionsOf(String text) {
    List<String> out = new ArrayList<>();
    rules.forEach((source, targets) -> {
      if (text.contains(source)) {
        for (String target : targets) {
          if (!text.contains(target) && !out.contains(target)) {
            out.add(target);
          }
        }
      }
    });
    return out;
  }

  public int size() {
    return rules.size();
  }
}
