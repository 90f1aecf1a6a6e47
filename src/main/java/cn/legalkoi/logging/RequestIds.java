package cn.legalkoi.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of the HTTP request being handled, kept in the request's own (duplicated) Vert.x context, so it follows the
 * request through every future and callback that context runs and reaches the log lines written there. Background
 * work gets an id of its own the same way ({@link #within}): {@code outbox-42} for the send of outbox row 42.
 */
public final class RequestIds {
  /** What a caller's {@code X-Request-Id} may be: anything else is replaced, so a log line cannot be forged. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Object KEY = new Object();

  private RequestIds() {
  }

  /**
   * The caller's id when it is plain enough to log, else a new one: 128 random bits in the UUID layout, from the
   * thread's own generator, since an id needs no secrecy and {@link UUID#randomUUID} would make an event loop wait
   * for the shared secure generator (and, the first time, for its seeding).
   */
  public static String acceptOrCreate(String offered) {
    if (offered != null && ACCEPTED.matcher(offered).matches()) {
      return offered;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** Marks the current context as serving the request {@code id}; only request (duplicated) contexts take it. */
  public static void bind(String id) {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.localContextData().put(KEY, id);
    }
  }

  /**
   * Runs {@code work} now, on the calling event loop, in a context of its own marked with {@code id}, so the lines
   * its futures and callbacks write carry that id as a request's lines carry the request's. For background work: an
   * outbox send, a round of the deadline watch, a message from the DingTalk stream. Characters outside
   * {@code A-Za-z0-9._:-} in {@code id} become {@code _}, and it is cut at 64.
   */
  public static void within(Vertx vertx, String id, Runnable work) {
    within(vertx, id, () -> {
      work.run();
      return null;
    });
  }

  /** As {@link #within(Vertx, String, Runnable)}, for work that gives a result (usually a future). */
  public static <T> T within(Vertx vertx, String id, Supplier<T> work) {
    ContextInternal context = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    String plain = id.replaceAll("[^A-Za-z0-9._:-]", "_");
    context.localContextData().put(KEY, plain.length() > 64 ? plain.substring(0, 64) : plain);
    ContextInternal previous = context.beginDispatch();
    try {
      return work.get();
    } finally {
      context.endDispatch(previous);
    }
  }

  /** The id of the request the calling thread is working for, if any. */
  public static Optional<String> current() {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      return Optional.ofNullable((String) internal.localContextData().get(KEY));
    }
    return Optional.empty();
  }
}
