package cn.legalkoi.users;

import java.util.Locale;
import java.util.Optional;

/** What a signed-in user may do. Admins may do everything advisers may. */
public enum Role {
  ADVISER, ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean includes(Role required) {
    return this == ADMIN || this == required;
  }

  public static Optional<Role> parse(String text) {
    for (Role role : values()) {
      if (role.wireName().equals(text)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
