package cn.legalkoi.alerts;

import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/**
 * What an advisers' group is told about a ticket: its number, category, department, the deadline concerned and where
 * in the console to open it. Nothing more can be put in: no field takes the owner's name, phone, platform id or
 * question, and the two short labels refuse text that looks like them (long text, line breaks, more than a few digits), so
 * that an alert posted to a group chat never carries what only the ticket's advisers may read.
 *
 * @param number the ticket's id, as the console shows it
 * @param category the guidance category the question fell under; null when none was recognised
 * @param department the department the ticket is routed to
 * @param milestone the deadline concerned: required for {@link Kind#AT_RISK} and {@link Kind#BREACHED}; for a new
 *     ticket usually {@link Milestone#RESPOND}, or null
 * @param deadline when the milestone is due, in the service promise's time zone
 * @param consoleLink {@code {publicBaseUrl}/console#/tickets/{number}}, see {@link #consoleLink(String, long)}
 */
public record TicketAlert(Kind kind, long number, String category, String department, Milestone milestone,
    OffsetDateTime deadline, String consoleLink) {

  /** Labels are names an admin gives, never sentences: a department or category of at most this many characters. */
  public static final int MAX_LABEL_CHARS = 40;
  /** Seven digits, however spaced or dashed, may be a phone number, which no label has a reason to contain. */
  private static final int MAX_LABEL_DIGITS = 6;
  private static final Pattern LINK = Pattern.compile("https?://[^\\s()\\[\\]<>]+/console#/tickets/(\\d+)");

  public enum Kind {
    /** A ticket has just been opened and waits for an adviser. */
    NEW_TICKET("新工单"),
    /** A deadline is near and the milestone not met yet. */
    AT_RISK("即将超时"),
    /** A deadline has passed with the milestone not met. */
    BREACHED("已超时");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** How the group reads it. */
    public String label() {
      return label;
    }
  }

  /** The deadlines of the 315 promise, named as the API's {@code due} object names them. */
  public enum Milestone {
    RESPOND("respond", "响应时限"), SETTLE("settle", "办结时限"), FEEDBACK("feedback", "反馈时限");

    private final String wireName;
    private final String label;

    Milestone(String wireName, String label) {
      this.wireName = wireName;
      this.label = label;
    }

    public String wireName() {
      return wireName;
    }

    /** How the group reads it. */
    public String label() {
      return label;
    }
  }

  public TicketAlert {
    if (kind == null || deadline == null || consoleLink == null) {
      throw new IllegalArgumentException("an alert needs a kind, a deadline and a console link");
    }
    if (number <= 0) {
      throw new IllegalArgumentException("a ticket number is positive, not " + number);
    }
    if (milestone == null && kind != Kind.NEW_TICKET) {
      throw new IllegalArgumentException("an " + kind + " alert names the milestone whose deadline it is about");
    }
    var link = LINK.matcher(consoleLink);
    if (!link.matches() || !link.group(1).equals(Long.toString(number))) {
      throw new IllegalArgumentException("the console link must be {publicBaseUrl}/console#/tickets/" + number);
    }
    checkLabel("category", category, true);
    checkLabel("department", department, false);
  }

  /** A new ticket's alert; its deadline is the first one, to respond. */
  public static TicketAlert newTicket(long number, String category, String department, OffsetDateTime respondBy,
      String publicBaseUrl) {
    return new TicketAlert(Kind.NEW_TICKET, number, category, department, Milestone.RESPOND, respondBy,
        consoleLink(publicBaseUrl, number));
  }

  /** An alert that {@code milestone}'s deadline is near and the milestone not met yet. */
  public static TicketAlert atRisk(long number, String category, String department, Milestone milestone,
      OffsetDateTime deadline, String publicBaseUrl) {
    return new TicketAlert(Kind.AT_RISK, number, category, department, milestone, deadline,
        consoleLink(publicBaseUrl, number));
  }

  /** An alert that {@code milestone}'s deadline has passed with the milestone not met. */
  public static TicketAlert breached(long number, String category, String department, Milestone milestone,
      OffsetDateTime deadline, String publicBaseUrl) {
    return new TicketAlert(Kind.BREACHED, number, category, department, milestone, deadline,
        consoleLink(publicBaseUrl, number));
  }

  /** {@code {publicBaseUrl}/console#/tickets/{number}}, a trailing slash of the base ignored. */
  public static String consoleLink(String publicBaseUrl, long number) {
    return consoleHome(publicBaseUrl) + "#/tickets/" + number;
  }

  /** The console's ticket list: {@code {publicBaseUrl}/console}, where a digest sends advisers. */
  public String consoleHomeLink() {
    return consoleLink.substring(0, consoleLink.indexOf('#'));
  }

  private static String consoleHome(String publicBaseUrl) {
    return publicBaseUrl.replaceAll("/+$", "") + "/console";
  }

  private static void checkLabel(String name, String value, boolean optional) {
    if (value == null || value.isBlank()) {
      if (optional) {
        return;
      }
      throw new IllegalArgumentException("an alert needs a " + name);
    }
    if (value.length() > MAX_LABEL_CHARS || value.chars().anyMatch(Character::isISOControl)
        || value.chars().filter(Character::isDigit).count() > MAX_LABEL_DIGITS) {
      throw new IllegalArgumentException("an alert's " + name + " is a short name, not free text");
    }
  }
}
