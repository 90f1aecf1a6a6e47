package cn.legalkoi.tickets;

import cn.legalkoi.chat.Handover;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.chat.OwnerChannel;
import cn.legalkoi.config.ServicePromise;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the conversation core hands owners over: opens a ticket on escalation (or joins the owner's open one),
 * routes it to a department by the guidance category, computes its deadlines, and tells the owner its number and the
 * promised times; afterwards takes the owner's messages for the adviser, acknowledging without answering, and records
 * a rating once the ticket is resolved. Runs inside the conversation's transaction.
 */
final class TicketDesk implements Handover {
  /** Lines of the bot's talk before the escalation that the adviser sees with the ticket. */
  private static final int CONTEXT_LINES = 30;

  private final DeadlinePolicy deadlines;
  private final TicketsSettings settings;
  private final ServicePromise promise;
  private final Runnable onChange;
  private volatile cn.legalkoi.metrics.ServiceMetrics metrics = cn.legalkoi.metrics.ServiceMetrics.none();

  TicketDesk(DeadlinePolicy deadlines, TicketsSettings settings, ServicePromise promise, Runnable onChange) {
    this.deadlines = deadlines;
    this.settings = settings;
    this.promise = promise;
    this.onChange = onChange;
  }

  void useMetrics(cn.legalkoi.metrics.ServiceMetrics serviceMetrics) {
    this.metrics = serviceMetrics;
  }

  @Override
  public Optional<OpenTicket> openTicket(Connection c, long conversationId) throws SQLException {
    return TicketStore.openFor(c, conversationId)
        .map(t -> new OpenTicket(t.id(), "asked".equals(t.contactState())));
  }

  @Override
  public Opened open(Connection c, long conversationId, InboundMessage message, Escalation escalation, long now)
      throws SQLException {
    Optional<Ticket> open = TicketStore.openFor(c, conversationId);
    if (open.isPresent()) {
      Ticket t = open.get();
      TicketStore.update(c, t.id(), now, "owner_wrote_at = ?", now);
      TicketStore.history(c, t.id(), now, TicketStore.SYSTEM, "joined",
          new JsonObject().put("reason", escalation.reason()));
      return new Opened(t.id(), true, "您的工单 " + t.id() + " 正在处理中，这条消息已转给顾问，请稍候。");
    }
    String department = routeTo(c, escalation.category());
    DeadlinePolicy.Deadlines due = deadlines.deadlines(Instant.ofEpochMilli(now), escalation.complex());
    long firstLine = firstContextLine(c, conversationId);
    OwnerChannel.Owner owner = OwnerChannel.owner(c, conversationId)
        .orElseThrow(() -> new SQLException("no conversation " + conversationId));
    Ticket draft = new Ticket(0, conversationId, Ticket.OPEN, escalation.question(), owner.channel().wireName(),
        owner.userId(), escalation.complex() ? Ticket.COMPLEX : Ticket.SIMPLE, escalation.category(),
        escalation.reason(), department, null, null, null, "asked", now, firstLine, due.respond(), due.finalDue(), 0, 0,
        0, 0, now, now);
    long id = TicketStore.insert(c, draft);
    metrics.escalation(draft.channel());
    TicketStore.history(c, id, now, TicketStore.SYSTEM, "opened", new JsonObject().put("reason", escalation.reason())
        .put("department", department).put("complexity", draft.complexity()));
    String text = promise.ticketOpened(id, TicketTimes.forOwner(due.respond(), deadlines.zone()),
        TicketTimes.forOwner(due.finalDue(), deadlines.zone()), escalation.complex())
        + promise.contactRequest(settings.contactRetentionDays());
    return new Opened(id, false, text);
  }

  @Override
  public Optional<Said> followUp(Connection c, OpenTicket ticket, InboundMessage message, long now)
      throws SQLException {
    TicketStore.update(c, ticket.id(), now, "owner_wrote_at = ?", now);
    if (!message.isText()) {
      long conversationId = TicketStore.find(c, ticket.id()).orElseThrow().conversationId();
      TicketFiles.recordFor(c, ticket.id(), conversationId, message, now);
    }
    if (ticket.awaitingContact() && message.isText()) {
      Optional<ContactDetails> contact = ContactDetails.read(message.text());
      if (contact.isPresent()) {
        TicketStore.update(c, ticket.id(), now, "phone = ?, enterprise = ?, contact_state = 'given'",
            contact.get().phone(), contact.get().enterprise());
        TicketStore.history(c, ticket.id(), now, TicketStore.SYSTEM, "contact_given",
            new JsonObject().put("phone", ContactDetails.masked(contact.get().phone())));
        return Optional.of(new Said("contact_saved", "已记下您的联系方式，顾问需要时会与您联系。"));
      }
      if (ContactDetails.declines(message.text())) {
        TicketStore.update(c, ticket.id(), now, "contact_state = 'declined'");
        return Optional.of(new Said("contact_declined", "好的，不留也没关系，顾问会在这里回复您。"));
      }
    }
    return quietSinceAcknowledged(c, ticket.id()) ? Optional.empty()
        : Optional.of(new Said("acknowledged", "已收到，已转给处理工单 " + ticket.id() + " 的顾问，顾问的回复会发到这里。"));
  }

  @Override
  public Optional<String> rate(Connection c, long ticketId, int score, long now) throws SQLException {
    Optional<Ticket> ticket = TicketStore.find(c, ticketId).filter(Ticket::isResolved);
    if (ticket.isEmpty()) {
      return Optional.empty();
    }
    TicketStore.update(c, ticketId, now, "rating = ?, rated_at = ?", score, now);
    TicketStore.history(c, ticketId, now, TicketStore.SYSTEM, "rated", new JsonObject().put("rating", score));
    return Optional.of("感谢您的评价！还有问题可以随时问我，需要顾问请回复“人工”。");
  }

  @Override
  public void changed() {
    onChange.run();
  }

  /** The configured department for the category, or the default when that one is disabled, or any active one. */
  private String routeTo(Connection c, String category) throws SQLException {
    for (String candidate : new String[] {settings.departmentFor(category), settings.defaultDepartment()}) {
      if (cn.legalkoi.users.Departments.isActive(c, candidate)) {
        return candidate;
      }
    }
    try (PreparedStatement st = c.prepareStatement(
        "SELECT name FROM departments WHERE active = 1 ORDER BY created_at LIMIT 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getString(1) : settings.defaultDepartment();
    }
  }

  private static long firstContextLine(Connection c, long conversationId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MIN(id), 0) FROM (SELECT id FROM transcript"
        + " WHERE conversation_id = ? ORDER BY id DESC LIMIT ?) recent")) {
      st.setLong(1, conversationId);
      st.setInt(2, CONTEXT_LINES);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Whether the bot already acknowledged since the adviser last wrote: then it stays quiet, so an owner sending
   * several messages in a row gets one acknowledgement, not one each.
   */
  private static boolean quietSinceAcknowledged(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT l.kind FROM transcript l JOIN tickets t"
        + " ON t.conversation_id = l.conversation_id WHERE t.id = ? AND l.author != 'owner' AND l.id >= t.first_line_id"
        + " ORDER BY l.id DESC LIMIT 1")) {
      st.setLong(1, ticketId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && "acknowledged".equals(rs.getString(1));
      }
    }
  }
}
