package cn.legalkoi.tickets;

/**
 * How one milestone of the 315 promise fared over a set of tickets. Each ticket's milestone is one of: met on time
 * ({@code met_at > 0} and {@code met_at <= due}), missed (met late, or not met and its deadline has passed) or
 * pending (not met and its deadline is still ahead). {@code due} counts the first two, so a ticket still within its
 * deadline is not a failure; {@code share = met / due}, or none when nothing was due.
 */
final class MilestoneTally {
  enum Outcome { MET, MISSED, PENDING }

  private int met;
  private int due;
  private int pending;

  /** Where a milestone stands at {@code now}: deadline and meeting time in epoch ms, 0 for not met. */
  static Outcome outcome(long dueAt, long metAt, long now) {
    if (metAt > 0 && metAt <= dueAt) {
      return Outcome.MET;
    }
    return metAt > 0 || now > dueAt ? Outcome.MISSED : Outcome.PENDING;
  }

  void count(Outcome outcome) {
    switch (outcome) {
      case MET -> {
        met++;
        due++;
      }
      case MISSED -> due++;
      case PENDING -> pending++;
    }
  }

  void add(MilestoneTally other) {
    met += other.met;
    due += other.due;
    pending += other.pending;
  }

  int met() {
    return met;
  }

  int due() {
    return due;
  }

  int pending() {
    return pending;
  }

  /** met / due to four places (2 of 3 is 0.6667), or null when nothing was due. */
  Double share() {
    return due == 0 ? null : Math.round(met * 10_000.0 / due) / 10_000.0;
  }
}
