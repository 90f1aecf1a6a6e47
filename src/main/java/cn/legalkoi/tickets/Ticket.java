package cn.legalkoi.tickets;

/**
 * One ticket as stored. Times are epoch milliseconds; a milestone not yet met is 0.
 *
 * @param finalDue the deadline of the second milestone: {@code settle} for a simple matter, {@code feedback} for a
 *     complex one
 * @param firstLineId the first line of the conversation the adviser sees (some of the bot's talk before the
 *     escalation, for context)
 * @param contactState {@code asked} (the owner may still leave a phone number), {@code given} or {@code declined}
 */
public record Ticket(long id, long conversationId, String status, String question, String channel, String userId,
    String complexity, String category, String reason, String department, String assignee, String phone,
    String enterprise, String contactState, long openedAt, long firstLineId, long respondDue, long finalDue,
    long respondMetAt, long finalMetAt, long resolvedAt, int rating, long ownerWroteAt, long updatedAt) {
  public static final String OPEN = "open";
  public static final String CLAIMED = "claimed";
  public static final String RESOLVED = "resolved";
  public static final String SIMPLE = "simple";
  public static final String COMPLEX = "complex";

  public boolean isComplex() {
    return COMPLEX.equals(complexity);
  }

  public boolean isResolved() {
    return RESOLVED.equals(status);
  }

  /** The name of the second milestone: {@code settle} or {@code feedback}. */
  public String finalMilestone() {
    return isComplex() ? "feedback" : "settle";
  }
}
