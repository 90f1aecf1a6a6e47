package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.Conversations;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls 微信客服 messages after a {@code kf_msg_or_event} callback: {@code kf/sync_msg} from the account's stored
 * cursor, page after page while WeCom says there is more. Each customer message is recorded through the
 * conversation core (which answers it once, whatever the number of syncs that see it), and only then is the cursor
 * moved past its page, so a restart or a failed page costs a second look at the page and never a message.
 * One sync per account at a time: a callback during a sync runs another after it, with the newest token.
 *
 * <p>Messages never wait for a callback that was missed: at start every known account is synced (a callback WeCom
 * gave up on while the service was down is not sent again), and a sync that fails is tried again without the
 * callback's token (which WeCom allows, at a lower rate; the token expires after about ten minutes), at once when
 * WeCom refused the token and otherwise from 30 s, doubling to 10 minutes, until it succeeds.
 */
public final class WeComKfSync {
  private static final Logger LOG = LoggerFactory.getLogger(WeComKfSync.class);
  private static final int PAGE_LIMIT = 1000;
  /** Pages one sync reads before it lets the next queued sync of the account continue where it stopped. */
  private static final int MAX_PAGES = 50;

  private static final long FIRST_RETRY_MS = 30_000;
  private static final long MAX_RETRY_MS = 600_000;
  /** WeCom's "invalid msg token": the callback's token has expired or was used up. */
  private static final int INVALID_MSG_TOKEN = 95007;
  /** How long one node may sync an account before another may take over, if it stops without letting go. */
  private static final java.time.Duration LEASE = java.time.Duration.ofMinutes(2);
  /** How soon a node that found another node syncing the account tries again, to read what came after. */
  private static final long RETRY_MS = 3_000;

  private final io.vertx.core.Vertx vertx;
  private final WeComApi api;
  private final Store store;
  private final Conversations conversations;
  private final Clock clock;
  private final Set<String> running = new HashSet<>();
  private final Map<String, String> queued = new HashMap<>();
  private final Map<String, Long> retryDelays = new HashMap<>();
  private final Set<Long> timers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  /** Stands for "no token" in {@link #queued}, whose values cannot be null. */
  private static final String NO_TOKEN = "";

  public WeComKfSync(io.vertx.core.Vertx vertx, WeComApi api, Store store, Conversations conversations,
      Clock clock) {
    this.vertx = vertx;
    this.api = api;
    this.store = store;
    this.conversations = conversations;
    this.clock = clock;
  }

  /** Syncs the account now, or after the sync under way, with {@code token} from the callback (null: none). */
  public void request(String openKfId, String token) {
    if (stopped) {
      return; // stopping: the stored cursor is where the next start continues
    }
    String given = token == null ? NO_TOKEN : token;
    synchronized (this) {
      if (!running.add(openKfId)) {
        // a token from a newer callback wins over none
        queued.merge(openKfId, given, (old, fresh) -> fresh.isEmpty() ? old : fresh);
        return;
      }
    }
    run(openKfId, given);
  }

  /** Starts no more syncs and drops the retries waiting; a sync under way finishes its page. */
  public void stop() {
    stopped = true;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void later(long delayMs, Runnable action) {
    if (stopped) {
      return;
    }
    long[] id = new long[1];
    id[0] = vertx.setTimer(delayMs, t -> {
      timers.remove(id[0]);
      action.run();
    });
    timers.add(id[0]);
  }

  /** Syncs every account that has synced before: what arrived while the service was down. */
  public Future<Integer> resumeAll() {
    return store.run(WeComKfStore::accounts).map(accounts -> {
      accounts.forEach(account -> request(account, null));
      return accounts.size();
    });
  }

  /**
   * One sync from the stored cursor, by one node at a time across the nodes sharing the database (the account's
   * lease): a node that finds another syncing tries again a little later, so that what arrived after the other's
   * last page is read too.
   */
  private void run(String openKfId, String token) {
    String lease = leaseOf(openKfId);
    store.leases().hold(lease, LEASE).compose(held -> {
      if (!held) {
        later(RETRY_MS, () -> request(openKfId, token));
        return Future.succeededFuture(0);
      }
      return store.run(c -> WeComKfStore.cursor(c, openKfId))
          .compose(cursor -> pages(openKfId, token, cursor, 0))
          .eventually(() -> store.leases().release(lease));
    })
        .onComplete(synced -> {
          if (synced.failed()) {
            retry(openKfId, token, synced.cause());
          } else {
            synchronized (this) {
              retryDelays.remove(openKfId);
            }
            if (synced.result() > 0) {
              LOG.info("微信客服 sync of {} recorded {} customer messages", openKfId, synced.result());
            }
          }
          String next;
          synchronized (this) {
            next = queued.remove(openKfId);
            if (next == null) {
              running.remove(openKfId);
            }
          }
          if (next != null) {
            run(openKfId, next);
          }
        });
  }

  /** Tries a failed sync again without the token: now when WeCom refused the token, else after a backoff. */
  private void retry(String openKfId, String token, Throwable cause) {
    boolean tokenRefused = cause instanceof WeComApiException && ((WeComApiException) cause).errcode()
        == INVALID_MSG_TOKEN && !token.isEmpty();
    if (tokenRefused) {
      LOG.info("微信客服 sync of {}: the callback's token was refused; syncing without it", openKfId);
      request(openKfId, null);
      return;
    }
    long delay;
    synchronized (this) {
      delay = retryDelays.merge(openKfId, FIRST_RETRY_MS, (old, first) -> Math.min(MAX_RETRY_MS, old * 2));
    }
    LOG.warn("微信客服 sync of {} stopped at the stored cursor; trying again in {} s: {}", openKfId, delay / 1000,
        cause.toString());
    later(delay, () -> request(openKfId, null));
  }

  /** Reads pages from {@code cursor}; the number of new customer messages recorded. */
  private Future<Integer> pages(String openKfId, String token, String cursor, int read) {
    if (read > 0) {
      // a long sync renews the account's lease before each further page, and stops if another node has it now
      return store.leases().hold(leaseOf(openKfId), LEASE)
          .compose(held -> held ? page(openKfId, token, cursor, read) : Future.succeededFuture(0));
    }
    return page(openKfId, token, cursor, read);
  }

  private static String leaseOf(String openKfId) {
    return "wecom-kf:" + openKfId;
  }

  private Future<Integer> page(String openKfId, String token, String cursor, int read) {
    JsonObject body = new JsonObject().put("cursor", cursor).put("limit", PAGE_LIMIT).put("open_kfid", openKfId);
    if (!token.isEmpty()) {
      body.put("token", token);
    }
    return api.post("kf/sync_msg", body).compose(page -> {
      String next = page.getValue("next_cursor") instanceof String ? page.getString("next_cursor") : "";
      boolean more = Boolean.TRUE.equals(page.getValue("has_more")) || Integer.valueOf(1).equals(
          page.getValue("has_more"));
      List<KfMessage> messages = customerMessages(openKfId, page.getValue("msg_list"));
      return record(messages).compose(recorded -> {
        if (next.isEmpty()) {
          return Future.succeededFuture(recorded);
        }
        Future<Void> saved = store.run(c -> {
          WeComKfStore.saveCursor(c, openKfId, next, clock.millis());
          return null;
        });
        if (!more) {
          return saved.map(recorded);
        }
        if (read + 1 >= MAX_PAGES) {
          synchronized (this) {
            queued.putIfAbsent(openKfId, token);
          }
          return saved.map(recorded);
        }
        return saved.compose(v -> pages(openKfId, token, next, read + 1)).map(n -> n + recorded);
      });
    });
  }

  private List<KfMessage> customerMessages(String openKfId, Object list) {
    List<KfMessage> out = new ArrayList<>();
    if (!(list instanceof JsonArray)) {
      return out;
    }
    long now = clock.millis();
    for (Object entry : (JsonArray) list) {
      Optional<KfMessage> m = entry instanceof JsonObject ? KfMessage.read((JsonObject) entry, now) : Optional.empty();
      if (m.isPresent() && m.get().openKfId().equals(openKfId)) {
        out.add(m.get());
      }
    }
    return out;
  }

  /** Opens each customer's window, then records the messages in order, one after another. */
  private Future<Integer> record(List<KfMessage> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Future<Integer> chain = store.run(c -> {
      long now = clock.millis();
      for (KfMessage m : messages) {
        WeComKfStore.customerWrote(c, m, now);
      }
      return 0;
    });
    for (KfMessage m : messages) {
      chain = chain.compose(n -> conversations.receive(m.message()).map(fresh -> fresh ? n + 1 : n));
    }
    return chain;
  }
}
