package cn.legalkoi.search;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the search pool's queue bounded: at most {@code maxWaiting} searches wait for a thread, and one that waited
 * longer than {@code maxWait} is given up before it runs. Past either, the caller is told at once
 * ({@link Overloaded}) instead of joining an ever longer queue: an API request gets 503 with {@code Retry-After},
 * a chat message stays recorded and is answered when capacity returns.
 */
public final class SearchAdmission {
  /** The search pool is full: try again in {@link #retryAfterSeconds()}. */
  public static final class Overloaded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Overloaded(String reason) {
      super(reason, null, false, false);
    }

    public long retryAfterSeconds() {
      return 2;
    }
  }

  private final int maxWaiting;
  private final long maxWaitNanos;
  private final AtomicInteger waiting = new AtomicInteger();

  public SearchAdmission(int maxWaiting, Duration maxWait) {
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** The defaults for {@code threads} search threads: 64 waiting per thread, 5 seconds at most. */
  public static SearchAdmission forThreads(int threads) {
    return new SearchAdmission(threads * 64, Duration.ofSeconds(5));
  }

  /** Takes a place in the queue, or throws {@link Overloaded}; the returned ticket is used when the work starts. */
  Ticket enter() {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      throw new Overloaded("more than " + maxWaiting + " searches are waiting");
    }
    return new Ticket(System.nanoTime());
  }

  /** A place in the queue. */
  final class Ticket {
    private final long enteredAt;

    private Ticket(long enteredAt) {
      this.enteredAt = enteredAt;
    }

    /** Called as the work starts: leaves the queue, and throws {@link Overloaded} when it waited too long. */
    void start() {
      waiting.decrementAndGet();
      if (System.nanoTime() - enteredAt > maxWaitNanos) {
        throw new Overloaded("a search waited longer than " + maxWaitNanos / 1_000_000 + " ms for a thread");
      }
    }

    /** The work will not run: leaves the queue. */
    void abandon() {
      waiting.decrementAndGet();
    }
  }
}
