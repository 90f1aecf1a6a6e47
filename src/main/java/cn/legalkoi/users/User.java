package cn.legalkoi.users;

import java.util.List;

/**
 * A signed-in adviser or admin.
 *
 * @param departments the departments whose tickets an adviser works; admins see every department's
 */
public record User(long id, String username, Role role, List<String> departments) {
  public User {
    departments = List.copyOf(departments);
  }

  /** Whether this user may see and work a ticket held by {@code department}. */
  public boolean covers(String department) {
    return role == Role.ADMIN || departments.contains(department);
  }
}
