package cn.legalkoi.users;

/** A signed-in adviser or admin. */
public record User(long id, String username, Role role) {
}
