package cn.legalkoi.store;

import java.util.Optional;

/**
 * Whether the database takes writes now, as the writer last saw it: a write refused for a {@link StoreTrouble}
 * (locked, disk full, I/O error) marks the database failing until a later write commits. Reads alone do not clear
 * it, since a full disk still serves reads; that is what {@code /health} needs to stay truthful.
 */
final class WriteTrouble {
  private volatile String reason;

  /** After a unit failed with {@code failure}: marks the database failing when it is a store trouble. */
  void failed(Throwable failure) {
    StoreTrouble.of(failure).ifPresent(why -> reason = why);
  }

  /** After a group that changed rows committed: writes work again. */
  void wrote() {
    reason = null;
  }

  /** Why writes fail, while they do. */
  Optional<String> current() {
    return Optional.ofNullable(reason);
  }
}
