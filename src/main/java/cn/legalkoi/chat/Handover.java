package cn.legalkoi.chat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where a conversation hands its owner to a person: the tickets. Every method runs inside the conversation's own
 * transaction on the database thread, so a message, the ticket it opens or joins, and the reply that tells the owner
 * the ticket's number are recorded together or not at all.
 */
public interface Handover {
  /** A conversation without tickets: escalations are told to wait for an adviser and nothing more happens. */
  Handover NONE = new Handover() {
    @Override
    public Optional<OpenTicket> openTicket(Connection c, long conversationId) {
      return Optional.empty();
    }

    @Override
    public Opened open(Connection c, long conversationId, InboundMessage message, Escalation escalation, long now) {
      throw new IllegalStateException("no tickets in this service");
    }

    @Override
    public Optional<Said> followUp(Connection c, OpenTicket ticket, InboundMessage message, long now) {
      return Optional.empty();
    }

    @Override
    public Optional<String> rate(Connection c, long ticketId, int score, long now) {
      return Optional.empty();
    }

    @Override
    public boolean enabled() {
      return false;
    }
  };

  /** The ticket open for a conversation: while there is one, the owner's messages go to its adviser. */
  record OpenTicket(long id, boolean awaitingContact) {
  }

  /**
   * Why the bot hands over.
   *
   * @param reason {@code asked_for_person} or {@code complex_case}
   * @param complex the owner's own complex situation (the 5-day feedback milestone), rather than a plain request
   * @param question the owner's question as they wrote it
   * @param docIds guidance that matched the question, most relevant first
   * @param category the category of the best-matching guidance, which routes the ticket to a department; null when
   *     nothing matched
   */
  record Escalation(String reason, boolean complex, String question, List<String> docIds, String category) {
  }

  /** A ticket opened (or joined, when the owner already had one open) and what to tell the owner. */
  record Opened(long ticketId, boolean joined, String ownerText) {
  }

  Optional<OpenTicket> openTicket(Connection c, long conversationId) throws SQLException;

  /** Opens a ticket for the escalation, or joins the conversation's open one. */
  Opened open(Connection c, long conversationId, InboundMessage message, Escalation escalation, long now)
      throws SQLException;

  /**
   * An owner's message on an open ticket (already in the transcript): recorded for the adviser; what the bot says
   * back, if anything (an acknowledgement, a thank-you for contact details), never an answer.
   */
  Optional<Said> followUp(Connection c, OpenTicket ticket, InboundMessage message, long now) throws SQLException;

  /** What the bot says on an open ticket, and of what kind ({@code acknowledged}, {@code contact_saved} …). */
  record Said(String kind, String text) {
  }

  /** The owner's rating (1–5) of a resolved ticket; the thank-you to send, or empty when it cannot be rated. */
  Optional<String> rate(Connection c, long ticketId, int score, long now) throws SQLException;

  /** Called after the transaction that touched a ticket committed: consoles hear of the change. */
  default void changed() {
  }

  default boolean enabled() {
    return true;
  }
}
