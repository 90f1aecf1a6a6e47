package cn.legalkoi.chat;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per network address and minute for the public web chat (never for signed platform callbacks, which
 * all come from a few platform addresses). Fixed one-minute windows; old windows are dropped as new ones open.
 */
public final class AddressLimit {
  private static final long MINUTE = 60_000;
  private static final int MAX_TRACKED = 100_000;

  private final int perMinute;
  private final Clock clock;
  private final Map<String, long[]> windows = new ConcurrentHashMap<>();

  public AddressLimit(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** 0 when the request may go on (and is counted); otherwise seconds until the address may ask again. */
  public long retryAfterSeconds(String address) {
    long now = clock.millis();
    if (windows.size() > MAX_TRACKED) {
      windows.values().removeIf(w -> now - w[0] >= MINUTE);
    }
    long[] window = windows.compute(address, (k, w) -> w == null || now - w[0] >= MINUTE
        ? new long[] {now, 1} : new long[] {w[0], w[1] + 1});
    return window[1] <= perMinute ? 0 : Math.max(1, (window[0] + MINUTE - now + 999) / 1000);
  }
}
