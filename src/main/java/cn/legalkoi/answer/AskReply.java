package cn.legalkoi.answer;

import java.util.List;

/**
 * The reply to one message, as {@code POST /api/v1/ask} returns it.
 *
 * @param body the reply's text in parts, for channels to fit to their limits
 * @param docIds documents the reply draws on, most relevant first
 * @param citations the legal basis the reply cites; empty when it cites nothing
 * @param reason why an {@code escalate} hands over: {@link #ASKED_FOR_PERSON} or {@link #COMPLEX_CASE}; null for
 *     the other kinds
 */
public record AskReply(Kind kind, ReplyText body, List<String> docIds, List<String> citations, String reason) {
  /** The owner asked for a person: a simple matter unless an adviser finds otherwise. */
  public static final String ASKED_FOR_PERSON = "asked_for_person";
  /** The owner described their own complex situation: a complex matter, with the 5-day feedback milestone. */
  public static final String COMPLEX_CASE = "complex_case";

  public AskReply(Kind kind, ReplyText body, List<String> docIds, List<String> citations) {
    this(kind, body, docIds, citations, null);
  }

  /** The five kinds of reply. */
  public enum Kind {
    ANSWER, CLARIFY, ESCALATE, SMALLTALK, NO_ANSWER;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The whole text, with no limit. */
  public String text() {
    return body.text();
  }

  /** The text as a channel that carries at most {@code maxBytes} of UTF-8 shows it (0: no limit). */
  public String textWithin(int maxBytes) {
    return body.within(maxBytes);
  }
}
