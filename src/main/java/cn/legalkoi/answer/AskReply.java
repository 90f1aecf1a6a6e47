package cn.legalkoi.answer;

import java.util.List;

/**
 * The reply to one message, as {@code POST /api/v1/ask} returns it.
 *
 * @param docIds documents the reply draws on, most relevant first
 * @param citations the legal basis the reply cites; empty when it cites nothing
 */
public record AskReply(Kind kind, String text, List<String> docIds, List<String> citations) {
  /** The five kinds of reply. */
  public enum Kind {
    ANSWER, CLARIFY, ESCALATE, SMALLTALK, NO_ANSWER;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
