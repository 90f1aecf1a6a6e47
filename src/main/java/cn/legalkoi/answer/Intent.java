package cn.legalkoi.answer;

import java.util.Locale;

/**
 * What a message is, read from its meaning before any search: the classes of the labelled intent set
 * ({@code labelled/tune.tsv}, column {@code intent}).
 */
public enum Intent {
  /** The owner asks for a person: an adviser, a lawyer, a call back, a visit. */
  PERSON("person"),
  /** The owner describes their own live case that needs a person: proceedings, seized assets, large sums. */
  COMPLEX_CASE("complex"),
  /** Greetings, thanks, chatter and requests that are no legal or business question. */
  CHATTER("chatter"),
  /** A legal or business question of the kind the guidance answers. */
  LEGAL("legal"),
  /** A legal question outside what the team's guidance covers. */
  OUTSIDE("outside");

  private final String wireName;

  Intent(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public boolean isEscalation() {
    return this == PERSON || this == COMPLEX_CASE;
  }

  /** The reply kind a message of this intent should get, as the labelled set records it. */
  public String expectedKind() {
    switch (this) {
      case PERSON:
      case COMPLEX_CASE:
        return "escalate";
      case CHATTER:
        return "smalltalk";
      case OUTSIDE:
        return "no_answer";
      default:
        return "answer";
    }
  }

  public static Intent fromWireName(String name) {
    for (Intent intent : values()) {
      if (intent.wireName.equals(name.strip().toLowerCase(Locale.ROOT))) {
        return intent;
      }
    }
    throw new IllegalArgumentException("unknown intent '" + name + "'");
  }
}
