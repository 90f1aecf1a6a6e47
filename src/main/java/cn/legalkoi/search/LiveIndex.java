package cn.legalkoi.search;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The generation that serves searches now. A swap is one atomic reference change: searches that started
 * on the old generation finish on it, and it is closed (and its files removed) after the last of them.
 */
public final class LiveIndex implements AutoCloseable {
  private final AtomicReference<IndexGeneration> current = new AtomicReference<>();

  /** Runs {@code work} on the live generation, or returns empty when no index can serve yet. */
  public <T> Optional<T> withGeneration(Function<IndexGeneration, T> work) {
    while (true) {
      IndexGeneration generation = current.get();
      if (generation == null) {
        return Optional.empty();
      }
      if (generation.tryAcquire()) {
        try {
          return Optional.ofNullable(work.apply(generation));
        } finally {
          generation.release();
        }
      }
      // it was retired between get() and tryAcquire(): the reference already names its successor
    }
  }

  public boolean isServing() {
    return current.get() != null;
  }

  /** Puts {@code next} live and retires the previous generation, deleting its files once unused. */
  public void swap(IndexGeneration next) {
    IndexGeneration previous = current.getAndSet(next);
    if (previous != null && previous != next) {
      previous.retire(!previous.directory().equals(next.directory()));
    }
  }

  public Optional<IndexGeneration> peek() {
    return Optional.ofNullable(current.get());
  }

  @Override
  public void close() {
    IndexGeneration previous = current.getAndSet(null);
    if (previous != null) {
      previous.retire(false);
    }
  }
}
