package cn.legalkoi.answer;

import java.nio.charset.StandardCharsets;

/**
 * A reply's text in three parts, so each channel can fit it to its own limit: the head and tail (title, legal
 * basis, link, disclaimer, the way to an adviser) always stay whole, and the core (the short answer) is cut at a
 * sentence end when the whole does not fit.
 */
public record ReplyText(String head, String core, String tail) {
  private static final String ELLIPSIS = "……";

  public static ReplyText plain(String text) {
    return new ReplyText("", text, "");
  }

  public String text() {
    return head + core + tail;
  }

  /** The text within {@code maxBytes} of UTF-8 (0: no limit), the core cut after its last whole sentence that fits. */
  public String within(int maxBytes) {
    if (maxBytes <= 0 || utf8Length(text()) <= maxBytes) {
      return text();
    }
    return head + fit(core, maxBytes - utf8Length(head) - utf8Length(tail)) + tail;
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Cuts text at a sentence end so that it fits in {@code maxBytes} of UTF-8, marking the cut. */
  static String fit(String text, int maxBytes) {
    int budget = maxBytes - utf8Length(ELLIPSIS);
    int end = 0;
    int bytes = 0;
    int lastSentenceEnd = -1;
    while (end < text.length()) {
      int cp = text.codePointAt(end);
      int size = utf8Length(new String(Character.toChars(cp)));
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(cp);
      if (cp == '。' || cp == '；' || cp == '！' || cp == '？') {
        lastSentenceEnd = end;
      }
    }
    return text.substring(0, lastSentenceEnd > 0 ? lastSentenceEnd : end) + ELLIPSIS;
  }
}
