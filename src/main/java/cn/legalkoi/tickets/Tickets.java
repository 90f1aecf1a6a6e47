package cn.legalkoi.tickets;

import static cn.legalkoi.store.Transactions.inTransaction;

import cn.legalkoi.chat.Outbox;
import cn.legalkoi.chat.OwnerChannel;
import cn.legalkoi.store.Store;
import cn.legalkoi.users.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What advisers do with tickets: list and read the ones of their departments, claim, assign, transfer, reply, note,
 * record a phone call, change the complexity, resolve and reopen. Every action runs in one transaction with its
 * history entry (which is also the audit log); a reply leaves through the outbox like the bot's. Milestones: the
 * first reply accepted into the outbox (or a recorded phone call) meets {@code respond}; a reply marked as feedback
 * meets {@code feedback}; resolving meets the second milestone of either kind.
 */
public final class Tickets {
  private static final int QUEUE_LIMIT = 500;
  private static final int TRANSCRIPT_LIMIT = 500;

  private final Store store;
  private final DeadlinePolicy deadlines;
  private final Clock clock;
  private final Supplier<Outbox> outbox;
  private final TicketChanges changes;

  Tickets(Store store, DeadlinePolicy deadlines, Clock clock, Supplier<Outbox> outbox, TicketChanges changes) {
    this.store = store;
    this.deadlines = deadlines;
    this.clock = clock;
    this.outbox = outbox;
    this.changes = changes;
  }

  /** A ticket with everything the console shows about it. */
  record Detail(Ticket ticket, List<String> breaches, OwnerChannel.Reach reach, int failedReplies,
      List<cn.legalkoi.chat.Conversations.Line> lines, Map<Long, OwnerChannel.Delivery> deliveries,
      List<TicketStore.Note> notes, List<TicketStore.HistoryEntry> history, List<TicketFiles.TicketFile> files) {
  }

  /** A stored file an adviser downloads: where it lies under the files directory, and what to call it. */
  record Download(String storedPath, String name, String asciiName) {
  }

  Future<List<Detail>> list(User user, String status, String department) {
    return store.run(c -> {
      List<Detail> out = new java.util.ArrayList<>();
      List<String> covered = user.role() == cn.legalkoi.users.Role.ADMIN ? null : user.departments();
      for (Ticket t : TicketStore.list(c, status, department, covered, QUEUE_LIMIT)) {
        if (user.covers(t.department())) {
          out.add(summary(c, t));
        }
      }
      return out;
    });
  }

  Future<Detail> get(User user, long id) {
    return store.run(c -> {
      Ticket t = visible(c, user, id);
      TicketStore.audit(c, clock.millis(), user.username(), "view", "ticket:" + id, null);
      Detail s = summary(c, t);
      return new Detail(t, s.breaches(), s.reach(), s.failedReplies(),
          OwnerChannel.lines(c, t.conversationId(), t.firstLineId(), TRANSCRIPT_LIMIT),
          OwnerChannel.deliveries(c, t.conversationId()), TicketStore.notesOf(c, id), TicketStore.historyOf(c, id),
          TicketFiles.ofTicket(c, id));
    });
  }

  /** A stored file of a ticket the adviser may see; each download is in the audit log. */
  Future<Download> file(User user, long id, long fileId) {
    return store.run(c -> {
      visible(c, user, id);
      TicketFiles.TicketFile f = TicketFiles.find(c, id, fileId).filter(TicketFiles.TicketFile::isStored)
          .orElseThrow(() -> new TicketRefused(404, "not_found", "这个工单没有这个已保存的文件"));
      TicketStore.audit(c, clock.millis(), user.username(), "download", "ticket:" + id,
          new JsonObject().put("file", fileId));
      return new Download(f.storedPath(), f.declaredName(), TicketJson.fallbackName(f));
    });
  }

  /** The question and conversation of a ticket, for suggestions. */
  Future<Ticket> ticket(User user, long id) {
    return store.run(c -> visible(c, user, id));
  }

  Future<Detail> claim(User user, long id) {
    return act(user, id, (c, t, now) -> {
      if (t.isResolved()) {
        throw TicketRefused.conflict("工单已办结，请先重新打开");
      }
      if (t.assignee() != null && !t.assignee().equals(user.username())) {
        throw TicketRefused.conflict("工单已由 " + t.assignee() + " 认领");
      }
      TicketStore.update(c, id, now, "status = 'claimed', assignee = ?", user.username());
      TicketStore.history(c, id, now, user.username(), "claimed", null);
    });
  }

  Future<Detail> assign(User user, long id, String username) {
    return act(user, id, (c, t, now) -> {
      if (t.isResolved()) {
        throw TicketRefused.conflict("工单已办结，请先重新打开");
      }
      if (!Advisers.worksIn(c, username, t.department())) {
        throw TicketRefused.bad("用户 " + username + " 不存在、已停用或不属于" + t.department());
      }
      TicketStore.update(c, id, now, "status = 'claimed', assignee = ?", username);
      TicketStore.history(c, id, now, user.username(), "assigned", new JsonObject().put("to", username));
    });
  }

  Future<Detail> transfer(User user, long id, String department, String note) {
    return act(user, id, (c, t, now) -> {
      if (department.equals(t.department())) {
        throw TicketRefused.bad("工单已在" + department);
      }
      if (!cn.legalkoi.users.Departments.isActive(c, department)) {
        throw TicketRefused.bad("没有这个部门，或该部门已停用：" + department);
      }
      String status = t.isResolved() ? Ticket.RESOLVED : Ticket.OPEN;
      TicketStore.update(c, id, now, "department = ?, assignee = NULL, status = ?", department, status);
      TicketStore.history(c, id, now, user.username(), "transferred", new JsonObject()
          .put("from", t.department()).put("to", department).put("note", note));
    });
  }

  Future<Long> reply(User user, long id, String text, boolean note, boolean feedback) {
    return store.run(c -> inTransaction(c, () -> {
      long now = clock.millis();
      Ticket t = visible(c, user, id);
      if (note) {
        TicketStore.addNote(c, id, user.username(), "note", text, now);
        TicketStore.history(c, id, now, user.username(), "noted", null);
        return 0L;
      }
      OwnerChannel.Owner owner = OwnerChannel.owner(c, t.conversationId())
          .orElseThrow(() -> new SQLException("no conversation " + t.conversationId()));
      long line = OwnerChannel.send(c, owner, "adviser", feedback ? "adviser_feedback" : "adviser_reply", text,
          new JsonObject().put("ticketId", id).put("by", user.username()).put("feedback", feedback), now);
      StringBuilder set = new StringBuilder("owner_wrote_at = owner_wrote_at");
      if (t.respondMetAt() == 0) {
        set.append(", respond_met_at = ").append(now);
      }
      if (feedback && t.isComplex() && t.finalMetAt() == 0) {
        set.append(", final_met_at = ").append(now);
      }
      if (t.assignee() == null && !t.isResolved()) {
        set.append(", status = 'claimed', assignee = ?");
        TicketStore.update(c, id, now, set.toString(), user.username());
      } else {
        TicketStore.update(c, id, now, set.toString());
      }
      TicketStore.history(c, id, now, user.username(), feedback ? "feedback" : "replied",
          new JsonObject().put("line", line));
      return line;
    })).onSuccess(line -> sent(line > 0));
  }

  Future<Detail> phoneCall(User user, long id, String text) {
    return act(user, id, (c, t, now) -> {
      TicketStore.addNote(c, id, user.username(), "phone_call", text, now);
      if (t.respondMetAt() == 0) {
        TicketStore.update(c, id, now, "respond_met_at = ?", now);
      }
      TicketStore.history(c, id, now, user.username(), "phone_call", null);
    });
  }

  Future<Detail> complexity(User user, long id, String complexity) {
    return act(user, id, (c, t, now) -> {
      if (complexity.equals(t.complexity())) {
        return;
      }
      DeadlinePolicy.Deadlines due = deadlines.deadlines(Instant.ofEpochMilli(t.openedAt()),
          Ticket.COMPLEX.equals(complexity));
      // the second milestone as it stands for the new kind: settle is met by resolving, feedback also by feedback
      long finalMet = Ticket.COMPLEX.equals(complexity) ? TicketStore.firstAction(c, id, "resolved", "feedback")
          : TicketStore.firstAction(c, id, "resolved");
      TicketStore.update(c, id, now, "complexity = ?, final_due = ?, final_met_at = ?", complexity, due.finalDue(),
          finalMet);
      TicketStore.history(c, id, now, user.username(), "complexity", new JsonObject()
          .put("from", t.complexity()).put("to", complexity));
    });
  }

  Future<Detail> resolve(User user, long id, JsonObject proposal) {
    return act(user, id, (c, t, now) -> {
      if (t.isResolved()) {
        throw TicketRefused.conflict("工单已办结");
      }
      TicketStore.update(c, id, now, "status = 'resolved', resolved_at = ?, final_met_at = CASE WHEN final_met_at = 0"
          + " THEN ? ELSE final_met_at END, respond_met_at = CASE WHEN respond_met_at = 0 THEN ? ELSE"
          + " respond_met_at END, assignee = COALESCE(assignee, ?)", now, now, now, user.username());
      TicketStore.history(c, id, now, user.username(), "resolved", null);
      if (proposal != null) {
        Proposals.add(c, id, user.username(), proposal, now);
      }
      OwnerChannel.Owner owner = OwnerChannel.owner(c, t.conversationId())
          .orElseThrow(() -> new SQLException("no conversation " + t.conversationId()));
      OwnerChannel.send(c, owner, "bot", "rating_request", "您的工单 " + id + " 已办结。请为本次服务打分：回复 1 到 5"
          + "（5 为最满意），或回复“满意”“不满意”。", new JsonObject().put("ticketId", id), now);
      OwnerChannel.askForRating(c, t.conversationId(), id);
    }).onSuccess(d -> sent(true));
  }

  Future<Detail> reopen(User user, long id) {
    return act(user, id, (c, t, now) -> {
      if (!t.isResolved()) {
        throw TicketRefused.conflict("工单没有办结，不需要重新打开");
      }
      if (TicketStore.openFor(c, t.conversationId()).isPresent()) {
        throw TicketRefused.conflict("这位企业主已有一个处理中的工单");
      }
      TicketStore.update(c, id, now, "status = ?, resolved_at = 0", t.assignee() == null ? Ticket.OPEN : Ticket.CLAIMED);
      TicketStore.history(c, id, now, user.username(), "reopened", null);
    });
  }

  @FunctionalInterface
  private interface Action {
    void run(Connection c, Ticket ticket, long now) throws SQLException;
  }

  /** One action in one transaction, then the ticket as it is afterwards; consoles hear of the change. */
  private Future<Detail> act(User user, long id, Action action) {
    return store.run(c -> inTransaction(c, () -> {
      long now = clock.millis();
      Ticket t = visible(c, user, id);
      action.run(c, t, now);
      return summary(c, TicketStore.find(c, id).orElseThrow());
    })).onSuccess(d -> changes.publish());
  }

  private void sent(boolean queued) {
    if (queued) {
      outbox.get().kick();
    }
    changes.publish();
  }

  private Detail summary(Connection c, Ticket t) throws SQLException {
    OwnerChannel.Owner owner = OwnerChannel.owner(c, t.conversationId())
        .orElseThrow(() -> new SQLException("no conversation " + t.conversationId()));
    Map<Long, OwnerChannel.Delivery> deliveries = OwnerChannel.deliveries(c, t.conversationId());
    int failed = (int) deliveries.values().stream().filter(d -> "failed".equals(d.state())).count();
    return new Detail(t, TicketStore.breachesOf(c, t.id()), OwnerChannel.reach(c, owner, clock.millis()), failed,
        List.of(), Map.of(), List.of(), List.of(), List.of());
  }

  private static Ticket visible(Connection c, User user, long id) throws SQLException {
    Ticket t = TicketStore.find(c, id).orElseThrow(TicketRefused::notFound);
    if (!user.covers(t.department())) {
      throw TicketRefused.forbidden();
    }
    return t;
  }


}
