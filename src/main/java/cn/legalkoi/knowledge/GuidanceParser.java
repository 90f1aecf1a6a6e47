package cn.legalkoi.knowledge;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Parses one guidance Markdown file with its YAML front matter, and says exactly what is wrong with it. */
public final class GuidanceParser {
  public static final int MIN_QUESTIONS = 3;
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
  private static final Pattern CITATION = Pattern.compile("《[^》]+》.*");

  /** Thrown for a file that cannot be loaded; the message is the reason shown to admins. */
  public static final class InvalidGuidanceException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidGuidanceException(String message) {
      super(message);
    }
  }

  public GuidanceDocument parse(String text, String path, String expectedId) throws InvalidGuidanceException {
    String content = text.replace("\r\n", "\n");
    if (content.isBlank()) {
      throw new InvalidGuidanceException("empty file");
    }
    if (!content.startsWith("---\n")) {
      throw new InvalidGuidanceException("missing front matter: the file must start with a line '---'");
    }
    int end = content.indexOf("\n---", 3);
    if (end < 0) {
      throw new InvalidGuidanceException("front matter is not closed by a line '---'");
    }
    String yaml = content.substring(4, end);
    int bodyStart = content.indexOf('\n', end + 4);
    String markdown = bodyStart < 0 ? "" : content.substring(bodyStart + 1);

    Map<String, Object> meta = readYaml(yaml);
    String id = requiredString(meta, "id");
    if (!ID.matcher(id).matches()) {
      throw new InvalidGuidanceException("id '" + id + "' may only use a-z, 0-9 and single hyphens");
    }
    if (expectedId != null && !expectedId.equals(id)) {
      throw new InvalidGuidanceException("id '" + id + "' does not match the file name '" + expectedId + ".md'");
    }
    List<String> questions = stringList(meta, "questions");
    if (questions.size() < MIN_QUESTIONS) {
      throw new InvalidGuidanceException("questions: at least " + MIN_QUESTIONS + " are needed, found " + questions.size());
    }
    List<String> basis = stringList(meta, "basis");
    if (basis.isEmpty()) {
      throw new InvalidGuidanceException("basis: at least one citation is needed");
    }
    for (String citation : basis) {
      if (!CITATION.matcher(citation).matches()) {
        throw new InvalidGuidanceException("basis: '" + citation + "' is not a citation like 《法规名称》第X条");
      }
    }
    Map<String, String> sections = sections(markdown);
    if (sections.getOrDefault(GuidanceDocument.SHORT_ANSWER, "").isBlank()) {
      throw new InvalidGuidanceException("section '## " + GuidanceDocument.SHORT_ANSWER + "' is missing or empty");
    }
    return new GuidanceDocument(id, requiredString(meta, "title"), requiredString(meta, "category"),
        questions, basis, date(meta, "effective"), date(meta, "reviewed"), sections, markdown, path);
  }

  /** The sections a complete document has but this one lacks; loading goes on with a warning. */
  public static List<String> missingSections(GuidanceDocument doc) {
    List<String> missing = new ArrayList<>();
    for (String heading : List.of(GuidanceDocument.DETAIL, GuidanceDocument.BASIS, GuidanceDocument.STEPS)) {
      if (doc.sections().getOrDefault(heading, "").isBlank()) {
        missing.add(heading);
      }
    }
    return missing;
  }

  private static Map<String, Object> readYaml(String yaml) throws InvalidGuidanceException {
    Object loaded;
    try {
      loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (YAMLException e) {
      String reason = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("unreadable");
      throw new InvalidGuidanceException("front matter is not valid YAML: " + reason);
    }
    if (!(loaded instanceof Map)) {
      throw new InvalidGuidanceException("front matter must be a YAML mapping of keys to values");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    ((Map<?, ?>) loaded).forEach((k, v) -> meta.put(String.valueOf(k), v));
    return meta;
  }

  private static String requiredString(Map<String, Object> meta, String key) throws InvalidGuidanceException {
    Object value = meta.get(key);
    if (value == null || value instanceof Map || value instanceof List || String.valueOf(value).isBlank()) {
      throw new InvalidGuidanceException("missing required field '" + key + "'");
    }
    return TextNormalizer.normalize(String.valueOf(value)).strip();
  }

  private static List<String> stringList(Map<String, Object> meta, String key) throws InvalidGuidanceException {
    Object value = meta.get(key);
    if (value == null) {
      throw new InvalidGuidanceException("missing required field '" + key + "'");
    }
    if (!(value instanceof List)) {
      throw new InvalidGuidanceException("field '" + key + "' must be a list");
    }
    List<String> items = new ArrayList<>();
    for (Object item : (List<?>) value) {
      if (item != null && !String.valueOf(item).isBlank()) {
        items.add(TextNormalizer.normalize(String.valueOf(item)).strip());
      }
    }
    return List.copyOf(items);
  }

  private static LocalDate date(Map<String, Object> meta, String key) throws InvalidGuidanceException {
    Object value = meta.get(key);
    if (value == null) {
      throw new InvalidGuidanceException("missing required field '" + key + "'");
    }
    if (value instanceof Date) {
      return ((Date) value).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    }
    try {
      return LocalDate.parse(String.valueOf(value).strip());
    } catch (DateTimeParseException e) {
      throw new InvalidGuidanceException("field '" + key + "' must be a date like 2021-07-15, found '" + value + "'");
    }
  }

  private static Map<String, String> sections(String markdown) {
    Map<String, String> sections = new LinkedHashMap<>();
    String heading = null;
    StringBuilder body = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("## ")) {
        if (heading != null) {
          sections.put(heading, body.toString().strip());
        }
        heading = TextNormalizer.normalize(line.substring(3)).strip();
        body.setLength(0);
      } else if (heading != null) {
        body.append(line).append('\n');
      }
    }
    if (heading != null) {
      sections.put(heading, body.toString().strip());
    }
    return sections;
  }
}
