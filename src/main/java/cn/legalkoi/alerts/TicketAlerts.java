package cn.legalkoi.alerts;

import cn.legalkoi.tickets.Ticket;
import cn.legalkoi.tickets.TicketAlertSink;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline watch's alerts as group-robot messages: the ticket's number, category, department, the deadline in
 * the promise's time zone, and the console link; never the owner's question or contact details.
 */
public final class TicketAlerts implements TicketAlertSink {
  private static final Logger LOG = LoggerFactory.getLogger(TicketAlerts.class);

  private final AlertNotifier notifier;
  private final String publicBaseUrl;
  private final ZoneId zone;

  public TicketAlerts(AlertNotifier notifier, String publicBaseUrl, ZoneId zone) {
    this.notifier = notifier;
    this.publicBaseUrl = publicBaseUrl;
    this.zone = zone;
  }

  @Override
  public void alert(Ticket ticket, String kind, String milestone, long due) {
    if (!notifier.isEnabled()) {
      return;
    }
    OffsetDateTime deadline = OffsetDateTime.ofInstant(Instant.ofEpochMilli(due), zone);
    TicketAlert.Milestone m = switch (milestone) {
      case "settle" -> TicketAlert.Milestone.SETTLE;
      case "feedback" -> TicketAlert.Milestone.FEEDBACK;
      default -> TicketAlert.Milestone.RESPOND;
    };
    try {
      TicketAlert alert = switch (kind) {
        case "new" -> TicketAlert.newTicket(ticket.id(), ticket.category(), ticket.department(), deadline, publicBaseUrl);
        case "at_risk" -> TicketAlert.atRisk(ticket.id(), ticket.category(), ticket.department(), m, deadline,
            publicBaseUrl);
        default -> TicketAlert.breached(ticket.id(), ticket.category(), ticket.department(), m, deadline,
            publicBaseUrl);
      };
      notifier.send(alert);
    } catch (IllegalArgumentException e) {
      LOG.warn("Ticket {} alert not sent: {}", ticket.id(), e.getMessage());
    }
  }
}
