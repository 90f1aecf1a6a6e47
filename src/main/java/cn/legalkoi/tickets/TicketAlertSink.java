package cn.legalkoi.tickets;

/** Where ticket alerts go (the advisers' group robots): a new ticket, a milestone at risk, a milestone breached. */
@FunctionalInterface
public interface TicketAlertSink {
  TicketAlertSink NONE = (ticket, kind, milestone, due) -> { };

  /**
   * @param kind {@code new}, {@code at_risk} or {@code breached}
   * @param milestone {@code respond}, {@code settle} or {@code feedback}
   * @param due the milestone's deadline, epoch ms
   */
  void alert(Ticket ticket, String kind, String milestone, long due);
}
