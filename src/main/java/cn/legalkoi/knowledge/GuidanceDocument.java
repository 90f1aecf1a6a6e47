package cn.legalkoi.knowledge;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One guidance document written by the service team.
 *
 * @param sections the {@code ##} sections by heading (简要回答, 详细说明, 法律依据, 办理指引), in file order
 * @param markdown the body after the front matter, for the full guidance page
 */
public record GuidanceDocument(
    String id,
    String title,
    String category,
    List<String> questions,
    List<String> basis,
    LocalDate effective,
    LocalDate reviewed,
    Map<String, String> sections,
    String markdown,
    String path) {

  public static final String SHORT_ANSWER = "简要回答";
  public static final String DETAIL = "详细说明";
  public static final String BASIS = "法律依据";
  public static final String STEPS = "办理指引";

  public String shortAnswer() {
    return sections.getOrDefault(SHORT_ANSWER, "");
  }

  /** Everything but the short answer, as plain searchable text. */
  public String detailText() {
    StringBuilder text = new StringBuilder();
    sections.forEach((heading, body) -> {
      if (!heading.equals(SHORT_ANSWER)) {
        text.append(heading).append('\n').append(body).append('\n');
      }
    });
    return text.toString();
  }
}
