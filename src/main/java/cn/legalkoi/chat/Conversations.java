package cn.legalkoi.chat;

import static cn.legalkoi.store.Transactions.inTransaction;

import cn.legalkoi.answer.Answers;
import cn.legalkoi.answer.AskReply;
import cn.legalkoi.answer.Commands;
import cn.legalkoi.answer.ReplyComposer;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one conversation core behind every channel: an inbound message is recorded durably (a redelivery is
 * recognised by its id and answered no second time), then answered from the owner's conversation (a number picks
 * from the last numbered prompt, 满意/不满意 rates the last answer, anything else goes to the answer decision), and
 * the reply leaves through the {@link Outbox}, or, for a channel that can carry it in its response to the message
 * (WeCom's passive reply, {@link #receiveAnsweringWithin}), is recorded there as already sent. A message recorded
 * before a crash is answered by {@link #recover}.
 */
public final class Conversations {
  private static final Logger LOG = LoggerFactory.getLogger(Conversations.class);

  private final Vertx vertx;
  private final Store store;
  private final Answers answers;
  private final Outbox outbox;
  private final Clock clock;
  private final SenderLimit limit;
  private final int maxQuestionChars;
  private final Handover handover;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private static final long RETRY_WHEN_BUSY_MS = 2_000;
  /** After the database refused an answer (locked, disk full): soon enough that owners wait seconds, not minutes. */
  private static final long RETRY_WHEN_STORE_FAILS_MS = 5_000;
  private final java.util.concurrent.atomic.AtomicBoolean retryScheduled = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile long retryTimer = -1;
  private volatile boolean stopped;
  /** Per message (channel/id) whose reply may still go in the response, that reply once known. */
  private final java.util.Map<String, Future<Optional<String>>> passiveInFlight = new ConcurrentHashMap<>();
  /** Per conversation, the answer of its latest message: the next one waits for it. */
  private final java.util.Map<Long, Future<Void>> queues = new ConcurrentHashMap<>();

  /** The conversation module's schema, for the store to apply. */
  public static List<cn.legalkoi.store.Migration> migrations() {
    return ChatStore.MIGRATIONS;
  }

  /**
   * @param maxQuestionChars a longer text message is kept for an adviser and the owner asked to shorten it: the
   *     platform has already been told it arrived, so it cannot be refused
   */
  public Conversations(Vertx vertx, Store store, Answers answers, Outbox outbox, Clock clock, SenderLimit limit,
      int maxQuestionChars, Handover handover) {
    this.maxQuestionChars = maxQuestionChars;
    this.handover = handover;
    this.vertx = vertx;
    this.store = store;
    this.answers = answers;
    this.outbox = outbox;
    this.clock = clock;
    this.limit = limit;
  }

  /**
   * Records the message; succeeds once it is durable, with true when it is new (its answer follows) and false for
   * a message id this channel has already delivered. Acknowledge the platform only after this succeeds.
   */
  public Future<Boolean> receive(InboundMessage message) {
    return store.run(c -> ChatStore.accept(c, message, clock.millis())).map(conversation -> {
      conversation.ifPresent(id -> answer(id, message, null));
      return conversation.isPresent();
    });
  }

  /**
   * Records the message like {@link #receive}, then gives its answer up to {@code budget} to be carried in the
   * platform's response (WeCom's passive reply): succeeds, once the message is durable, with the reply's text when
   * the answer was recorded as delivered in time, or empty when the reply (if any) leaves through the outbox. A
   * redelivery of a message whose reply went in the response gets that reply again, and nothing is sent actively.
   */
  public Future<Optional<String>> receiveAnsweringWithin(InboundMessage message, java.time.Duration budget) {
    long started = System.nanoTime();
    return store.run(c -> {
      Optional<Long> conversation = ChatStore.accept(c, message, clock.millis());
      return new Accepted(conversation, conversation.isPresent() ? Optional.empty()
          : ChatStore.passiveReplyTo(c, message));
    }).compose(accepted -> {
      String key = keyOf(message);
      if (accepted.conversation().isEmpty()) {
        // delivered again while the first delivery still waits for its answer (its response may never arrive, which
        // is why the platform retries): this delivery gets the same reply
        Future<Optional<String>> first = passiveInFlight.get(key);
        return first != null ? first : Future.succeededFuture(accepted.earlierReply());
      }
      PassiveReply slot = new PassiveReply();
      passiveInFlight.put(key, slot.future());
      long left = budget.toNanos() - (System.nanoTime() - started);
      long timer = vertx.setTimer(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)),
          t -> slot.expire());
      answer(accepted.conversation().get(), message, slot);
      return slot.future().onComplete(r -> {
        vertx.cancelTimer(timer);
        passiveInFlight.remove(key, slot.future());
      });
    });
  }

  /** A message's platform id within its channel, as the answers in flight are keyed. */
  private static String keyOf(InboundMessage message) {
    return message.channel().wireName() + "/" + message.messageId();
  }

  /** A message recorded now (its conversation), or a redelivery with the reply its first delivery got in response. */
  private record Accepted(Optional<Long> conversation, Optional<String> earlierReply) {
  }

  /**
   * Answers the messages recorded at least {@code age} ago and not yet answered: at start-up (age zero) what a
   * crash left, and later what could not be answered then (the index was not ready, the store was busy).
   */
  public Future<Integer> recover(java.time.Duration age) {
    return answerPending(age, false);
  }

  /**
   * Answers the unanswered messages recorded at least {@code age} ago, all at once or one after another (each
   * whether or not the one before it was answered). Messages kept because the search pool was full go one after
   * another: sent to the pool again all at once, they would fill it again and wait for the next retry.
   */
  private Future<Integer> answerPending(java.time.Duration age, boolean oneByOne) {
    long before = clock.millis() - age.toMillis();
    return store.run(c -> ChatStore.pending(c, before)).compose(pending -> {
      Future<Void> work;
      if (oneByOne) {
        work = Future.succeededFuture();
        for (ChatStore.Pending p : pending) {
          work = work.transform(previous -> answerKept(p));
        }
      } else {
        work = Future.join(pending.stream().map(this::answerKept).toList()).mapEmpty();
      }
      return work.transform(done -> Future.succeededFuture(pending.size()));
    });
  }

  private Future<Void> answerKept(ChatStore.Pending p) {
    return cn.legalkoi.logging.RequestIds.within(vertx, "answer-c" + p.conversationId(),
        () -> answer(p.conversationId(), p.message(), null));
  }

  /** Schedules no more retries of unanswered messages and cancels the one waiting (they are done after a start). */
  public void stopRetries() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
  }

  /**
   * Completes once every message being answered now has its answer recorded (or has failed and is kept for a
   * later answer). For shutdown, after the platforms can no longer deliver new messages.
   */
  public Future<Void> settle() {
    List<Future<Void>> running = List.copyOf(queues.values());
    if (running.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.join(running).transform(done -> settle());
  }

  /** The transcript of a conversation after line {@code afterId}, oldest first, at most {@code limit} lines. */
  public Future<List<Line>> transcript(Channel channel, String userId, long afterId, int limit) {
    return store.run(c -> {
      Optional<Long> conversation = ChatStore.conversationOf(c, channel, userId);
      return conversation.isEmpty() ? List.<Line>of() : ChatStore.lines(c, conversation.get(), afterId, limit)
          .stream().map(l -> new Line(l.id(), l.author(), l.kind(), l.text(), l.meta(), l.at())).toList();
    });
  }

  /** Where a conversation's page hears that it has new lines (published on this node's event bus). */
  public static String linesAddress(Channel channel, String userId) {
    return "legal-koi.lines." + channel.wireName() + "." + userId;
  }

  private static final String LINES_TOPIC = "chat_lines";

  /**
   * Tells the pages of a conversation, on whichever node they wait, that it has new lines: a signal to every node
   * sharing the database, which each hands to its own event bus at {@link #linesAddress}.
   */
  static Future<Void> announceLines(cn.legalkoi.store.ClusterSignals signals, Channel channel, String userId) {
    return signals.publish(LINES_TOPIC, channel.wireName() + "\n" + userId);
  }

  /** Hands the conversations' line signals from every node to this node's event bus. */
  static Future<Void> hearLines(Vertx vertx, cn.legalkoi.store.ClusterSignals signals) {
    return signals.subscribe(LINES_TOPIC, payload -> {
      int cut = payload.indexOf('\n');
      if (cut > 0) {
        vertx.eventBus().publish("legal-koi.lines." + payload.substring(0, cut) + "." + payload.substring(cut + 1),
            null);
      }
    });
  }

  /** One line of a conversation as pages show it: who wrote it (owner, bot, adviser), of what kind, and when. */
  public record Line(long id, String author, String kind, String text, JsonObject meta, long at) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("author", author).put("kind", kind).put("text", text)
          .put("meta", meta).put("at", java.time.Instant.ofEpochMilli(at).toString());
    }
  }

  /**
   * Answers one message after the conversation's earlier ones: an owner who writes "人工" and then their phone number
   * at once gets the ticket first and the number recorded on it, never a bot answer to the second message.
   */
  private Future<Void> answer(long conversation, InboundMessage message, PassiveReply passive) {
    String key = keyOf(message);
    if (!inFlight.add(key)) {
      if (passive != null) {
        passive.nothing();
      }
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Future<Void> previous = queues.put(conversation, done.future());
    (previous == null ? Future.<Void>succeededFuture() : previous.transform(r -> Future.<Void>succeededFuture()))
        .compose(v -> answerNow(conversation, message, key, passive))
        .onComplete(done);
    done.future().onComplete(r -> queues.remove(conversation, done.future()));
    return done.future();
  }

  /** @param passive the chance to carry the reply in the platform's response, or null */
  private Future<Void> answerNow(long conversation, InboundMessage message, String key, PassiveReply passive) {
    return store.run(c -> new Situation(ChatStore.state(c, conversation), handover.openTicket(c, conversation)))
        .compose(situation -> decide(conversation, message, situation)
            .map(decided -> new Decided(situation.state().ratingTicketId(), decided)))
        .compose(decided -> store.run(c -> inTransaction(c, () -> {
          if (!ChatStore.isPending(c, message)) {
            // answered meanwhile, by another node sharing the database: nothing more to do
            return new Recorded(Optional.<String>empty(), false);
          }
          Outcome outcome = decided.outcome();
          Optional<Reply> reply = outcome.reply();
          long now = clock.millis();
          if (outcome.escalation().isPresent()) {
            Handover.Opened opened = handover.open(c, conversation, message, outcome.escalation().get(), now);
            reply = Optional.of(new Reply("escalate", opened.ownerText(), new JsonObject()
                .put("ticketId", opened.ticketId()).put("joined", opened.joined())));
          } else if (outcome.onTicket().isPresent()) {
            reply = handover.followUp(c, outcome.onTicket().get(), message, now)
                .map(said -> new Reply(said.kind(), said.text(), new JsonObject()));
          } else if (outcome.rating() > 0) {
            reply = handover.rate(c, outcome.ratedTicket(), outcome.rating(), now)
                .map(text -> new Reply("rating", text, new JsonObject()));
          }
          Optional<String> inResponse = ChatStore.recordOutcome(c, conversation, message, outcome.inboundState(),
              decided.ratingBefore(), outcome.state(), reply, passive, now);
          return new Recorded(inResponse,
              outcome.escalation().isPresent() || outcome.onTicket().isPresent() || outcome.rating() > 0);
        })))
        .onComplete(recorded -> {
          if (passive != null) {
            if (recorded.succeeded() && recorded.result().inResponse().isPresent()) {
              passive.deliver(recorded.result().inResponse().get());
            } else {
              passive.nothing();
            }
          }
        })
        .onSuccess(recorded -> {
          if (recorded.inResponse().isEmpty()) {
            outbox.kick();
          }
          announceLines(store.signals(), message.channel(), message.userId());
          if (recorded.ticketTouched()) {
            handover.changed();
          }
        })
        .<Void>mapEmpty()
        .onFailure(e -> {
          LOG.warn("Message {} on {} is kept for a later answer: {}", message.messageId(),
              message.channel().wireName(), e.toString());
          if (e instanceof cn.legalkoi.search.SearchAdmission.Overloaded) {
            retrySoon(RETRY_WHEN_BUSY_MS, () -> answerPending(java.time.Duration.ZERO, true));
          } else if (cn.legalkoi.store.StoreTrouble.of(e).isPresent()) {
            retrySoon(RETRY_WHEN_STORE_FAILS_MS, () -> recover(java.time.Duration.ZERO));
          }
        })
        .onComplete(r -> inFlight.remove(key));
  }

  /**
   * Once the search pool is full or the database refused an answer, one retry of every unanswered message
   * {@code delayMs} later (the periodic retry would take up to a minute).
   */
  private void retrySoon(long delayMs, java.util.function.Supplier<Future<Integer>> retry) {
    if (!stopped && retryScheduled.compareAndSet(false, true)) {
      retryTimer = vertx.setTimer(delayMs, t -> {
        retryScheduled.set(false);
        retry.get();
      });
    }
  }

  /** What recording an outcome did: the reply's text if it goes in the platform's response; a ticket touched. */
  private record Recorded(Optional<String> inResponse, boolean ticketTouched) {
  }

  /** The conversation's memory and the ticket open for it, read together. */
  private record Situation(ChatStore.State state, Optional<Handover.OpenTicket> ticket) {
  }

  /**
   * What one message leads to. Exactly one of: a reply worked out now, an escalation (its reply names the ticket, so
   * it is written in the transaction that opens it), a follow-up on the open ticket, or a rating of a resolved one.
   */
  /** An outcome with the rating request it was worked out from, which it may replace only if still there. */
  private record Decided(long ratingBefore, Outcome outcome) {
  }

  private record Outcome(String inboundState, ChatStore.State state, Optional<Reply> reply,
      Optional<Handover.Escalation> escalation, Optional<Handover.OpenTicket> onTicket, long ratedTicket, int rating) {
    static Outcome reply(String inboundState, ChatStore.State state, Optional<Reply> reply) {
      return new Outcome(inboundState, state, reply, Optional.empty(), Optional.empty(), 0, 0);
    }
  }

  private Future<Outcome> decide(long conversation, InboundMessage message, Situation situation) {
    ChatStore.State state = situation.state();
    long now = clock.millis();
    SenderLimit.Window window = limit.count(state.windowStart(), state.windowCount(), now);
    if (window.over()) {
      boolean tell = !state.toldLimited();
      return Future.succeededFuture(Outcome.reply("limited", state.withWindow(window.start(), window.count(), true),
          tell ? Optional.of(notice(message, "slow_down", composer().slowDown())) : Optional.empty()));
    }
    ChatStore.State counted = state.withWindow(window.start(), window.count(), false);
    if (situation.ticket().isPresent()) {
      // an adviser has the conversation: the bot only acknowledges, whatever the message is
      return Future.succeededFuture(new Outcome("answered", counted, Optional.empty(), Optional.empty(),
          situation.ticket(), 0, 0));
    }
    if (!message.isText()) {
      return Future.succeededFuture(Outcome.reply("answered", counted,
          Optional.of(notice(message, "unreadable", composer().unreadable()))));
    }
    if (message.text().codePointCount(0, message.text().length()) > maxQuestionChars) {
      return Future.succeededFuture(Outcome.reply("answered", counted,
          Optional.of(notice(message, "too_long", composer().tooLong(maxQuestionChars)))));
    }
    Optional<Commands.Read> command = Commands.read(message.text());
    Optional<Integer> rating = counted.ratingTicketId() > 0 ? command.flatMap(Conversations::ratingOf)
        : Optional.empty();
    if (rating.isPresent()) {
      ChatStore.State rated = new ChatStore.State(List.of(), counted.lastAnswerDocId(), counted.windowStart(),
          counted.windowCount(), false, 0);
      return Future.succeededFuture(new Outcome("answered", rated, Optional.empty(), Optional.empty(),
          Optional.empty(), counted.ratingTicketId(), rating.get()));
    }
    if (command.isPresent() && command.get().command() == Commands.Command.NUMBER) {
      return pick(message, counted, command.get().number());
    }
    if (command.isPresent() && counted.lastAnswerDocId() != null
        && (command.get().command() == Commands.Command.SATISFIED
        || command.get().command() == Commands.Command.UNSATISFIED)) {
      boolean satisfied = command.get().command() == Commands.Command.SATISFIED;
      return store.run(c -> {
        ChatStore.recordFeedback(c, conversation, counted.lastAnswerDocId(), satisfied, now);
        return null;
      }).map(v -> Outcome.reply("answered", counted,
          Optional.of(notice(message, "rating", composer().thanksForRating()))));
    }
    return answers.ask(message.text()).compose(reply -> {
      ChatStore.State next = after(counted, reply);
      if (reply.kind() != AskReply.Kind.ESCALATE || !handover.enabled()) {
        return Future.succeededFuture(Outcome.reply("answered", next, Optional.of(fitted(message, reply))));
      }
      Future<Optional<String>> category = reply.docIds().isEmpty() ? Future.succeededFuture(Optional.empty())
          : answers.categoryOf(reply.docIds().get(0));
      return category.map(found -> new Outcome("answered", next, Optional.empty(), Optional.of(
          new Handover.Escalation(reply.reason() == null ? AskReply.ASKED_FOR_PERSON : reply.reason(),
              AskReply.COMPLEX_CASE.equals(reply.reason()), message.text(), reply.docIds(), found.orElse(null))),
          Optional.empty(), 0, 0));
    });
  }

  /** A rating of a resolved ticket: 满意 (5), 不满意 (1), or a number from 1 to 5. */
  private static Optional<Integer> ratingOf(Commands.Read command) {
    switch (command.command()) {
      case SATISFIED:
        return Optional.of(5);
      case UNSATISFIED:
        return Optional.of(1);
      case NUMBER:
        return command.number() >= 1 && command.number() <= 5 ? Optional.of(command.number()) : Optional.empty();
      default:
        return Optional.empty();
    }
  }

  /** "2" after a numbered prompt: the answer from that topic; otherwise a polite note that nothing matches. */
  private Future<Outcome> pick(InboundMessage message, ChatStore.State state, int number) {
    if (number > state.clarifyDocIds().size()) {
      return Future.succeededFuture(Outcome.reply("answered", state,
          Optional.of(notice(message, "no_choice", composer().nothingToPick()))));
    }
    return answers.answerFrom(state.clarifyDocIds().get(number - 1)).map(reply -> reply.isEmpty()
        ? Outcome.reply("answered", state, Optional.of(notice(message, "no_choice", composer().nothingToPick())))
        : Outcome.reply("answered", after(state, reply.get()), Optional.of(fitted(message, reply.get()))));
  }

  /** The conversation after a reply: a clarify opens a numbered prompt, an answer becomes the one rated next. */
  private static ChatStore.State after(ChatStore.State state, AskReply reply) {
    List<String> prompt = reply.kind() == AskReply.Kind.CLARIFY ? reply.docIds() : List.of();
    String answered = reply.kind() == AskReply.Kind.ANSWER ? reply.docIds().get(0) : state.lastAnswerDocId();
    long rating = reply.kind() == AskReply.Kind.CLARIFY ? 0 : state.ratingTicketId();
    return new ChatStore.State(prompt, answered, state.windowStart(), state.windowCount(), state.toldLimited(), rating);
  }

  private static Reply fitted(InboundMessage message, AskReply reply) {
    JsonObject meta = new JsonObject().put("docIds", new JsonArray(reply.docIds()));
    if (reply.kind() == AskReply.Kind.CLARIFY) {
      meta.put("choices", reply.docIds().size());
    }
    return new Reply(reply.kind().wireName(), message.channel().textOf(reply), meta);
  }

  private static Reply notice(InboundMessage message, String kind, String text) {
    return new Reply(kind, text, new JsonObject());
  }

  private ReplyComposer composer() {
    return answers.composer();
  }
}
