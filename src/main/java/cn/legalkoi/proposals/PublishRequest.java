package cn.legalkoi.proposals;

import cn.legalkoi.knowledge.ArticleKey;
import cn.legalkoi.knowledge.GuidanceParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an admin publishes: a proposal turned into a complete guidance document. Built only from a body that passes
 * every check a guidance file needs, so the id is safe as a file name and every field is safe in the front matter.
 */
record PublishRequest(String docId, String title, String category, List<String> questions, List<String> basis,
    String answer, String detail, String steps, LocalDate effective) {

  static final int MAX_ID_CHARS = 80;
  static final int MAX_TITLE_CHARS = 80;
  static final int MAX_CATEGORY_CHARS = 30;
  static final int MAX_LIST_ITEMS = 20;
  static final int MAX_ITEM_CHARS = 120;
  static final int MAX_ANSWER_CHARS = 4000;
  static final int MAX_DETAIL_CHARS = 10000;
  static final int MAX_STEPS_CHARS = 4000;
  /** The same rule the guidance loader applies to ids and file names: nothing that can name another place. */
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
  /** 《法规名称》第X条, optionally followed by 款/项 or a short note. */
  private static final Pattern CITATION = Pattern.compile(
      "《[^《》]{1,60}》\\s*第[零〇一二两三四五六七八九十百千万0-9]{1,10}条.*");
  /** A Markdown heading that would open or close a section of the file. */
  private static final Pattern SECTION_HEADING = Pattern.compile("(?m)^\\s{0,3}#{1,2}(?:\\s|$)");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  static PublishRequest from(JsonObject body) {
    String docId = body.getValue("docId") instanceof String s ? s : null;
    if (docId == null || docId.length() > MAX_ID_CHARS || !ID.matcher(docId).matches()) {
      throw ProposalRefused.bad("docId 只能使用小写字母 a-z、数字和单个连字符 -（" + MAX_ID_CHARS + " 个字符以内），例如 contract-late-payment");
    }
    String title = line(body, "title", MAX_TITLE_CHARS);
    String category = line(body, "category", MAX_CATEGORY_CHARS);
    List<String> questions = lines(body, "questions");
    if (questions.size() < GuidanceParser.MIN_QUESTIONS) {
      throw ProposalRefused.bad("questions 至少需要 " + GuidanceParser.MIN_QUESTIONS + " 个不同的问法");
    }
    List<String> basis = lines(body, "basis");
    if (basis.isEmpty()) {
      throw ProposalRefused.bad("basis 不能为空：发布指引必须写明法律依据，例如《中华人民共和国行政处罚法》第三十三条");
    }
    for (String citation : basis) {
      if (!CITATION.matcher(citation).matches() || ArticleKey.fromCitation(citation).isEmpty()) {
        throw ProposalRefused.bad("basis 中的“" + citation + "”不是《法规名称》第X条这样的引用");
      }
    }
    String answer = text(body, "answer", MAX_ANSWER_CHARS, true);
    String detail = text(body, "detail", MAX_DETAIL_CHARS, true);
    String steps = text(body, "steps", MAX_STEPS_CHARS, false);
    return new PublishRequest(docId, title, category, questions, basis, answer, detail, steps, date(body));
  }

  private static String line(JsonObject body, String key, int max) {
    String value = body.getValue(key) instanceof String s ? s.strip() : "";
    checkLine(key, value, max);
    return value;
  }

  private static void checkLine(String key, String value, int max) {
    if (value.isEmpty() || value.codePointCount(0, value.length()) > max) {
      throw ProposalRefused.bad(key + " 不能为空，且不超过 " + max + " 个字");
    }
    if (value.codePoints().anyMatch(PublishRequest::breaksLine)) {
      throw ProposalRefused.bad(key + " 应为一行文字，不能包含换行或控制字符");
    }
  }

  private static List<String> lines(JsonObject body, String key) {
    if (!(body.getValue(key) instanceof JsonArray array)) {
      throw ProposalRefused.bad(key + " 应为字符串数组");
    }
    if (array.size() > MAX_LIST_ITEMS) {
      throw ProposalRefused.bad(key + " 最多 " + MAX_LIST_ITEMS + " 项");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw ProposalRefused.bad(key + " 应为字符串数组");
      }
      String value = s.strip();
      checkLine(key, value, MAX_ITEM_CHARS);
      if (!out.contains(value)) {
        out.add(value);
      }
    }
    return List.copyOf(out);
  }

  /** Markdown for one section: may span lines, but may not start a section of its own. */
  private static String text(JsonObject body, String key, int max, boolean required) {
    Object raw = body.getValue(key);
    if (raw == null && !required) {
      return null;
    }
    String value = raw instanceof String s ? s.replace("\r\n", "\n").replace('\r', '\n').strip() : "";
    if (value.isEmpty() || value.codePointCount(0, value.length()) > max) {
      throw ProposalRefused.bad(key + (required ? " 不能为空，且" : " ") + "不超过 " + max + " 个字");
    }
    if (value.codePoints().anyMatch(cp -> cp != '\n' && cp != '\t' && breaksLine(cp))) {
      throw ProposalRefused.bad(key + " 不能包含控制字符");
    }
    if (SECTION_HEADING.matcher(value).find()) {
      throw ProposalRefused.bad(key + " 中不能使用一级或二级标题（# 或 ##），可用 ### 小标题");
    }
    return value;
  }

  private static LocalDate date(JsonObject body) {
    String value = body.getValue("effective") instanceof String s ? s.strip() : "";
    if (DATE.matcher(value).matches()) {
      try {
        LocalDate date = LocalDate.parse(value);
        if (date.getYear() >= 1949 && date.getYear() <= 2100) {
          return date;
        }
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    throw ProposalRefused.bad("effective 应为所引规定的施行日期，格式 YYYY-MM-DD，例如 2021-07-15");
  }

  private static boolean breaksLine(int cp) {
    return Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
        || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR;
  }
}
