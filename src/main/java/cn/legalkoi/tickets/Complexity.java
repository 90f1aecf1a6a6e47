package cn.legalkoi.tickets;

import java.util.Locale;

/** How hard a ticket's matter is; decides whether the 315 promise's second deadline is "settle" or "feedback". */
public enum Complexity {
  /** Settled within working days: the deadline is named {@code settle}. */
  SIMPLE,
  /** Given feedback within calendar days: the deadline is named {@code feedback}. */
  COMPLEX;

  /** The name on the wire: {@code "simple"} or {@code "complex"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a wire name; anything else is an {@link IllegalArgumentException} naming the allowed values. */
  public static Complexity fromWire(String name) {
    for (Complexity c : values()) {
      if (c.wireName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("complexity must be \"simple\" or \"complex\", not \"" + name + "\"");
  }
}
