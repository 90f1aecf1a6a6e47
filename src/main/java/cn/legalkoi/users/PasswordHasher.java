package cn.legalkoi.users;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt password hashes. Hashing is deliberately slow: call it from a worker, never an event loop. */
public final class PasswordHasher {
  /** bcrypt ignores bytes past 72; longer passwords are refused rather than silently truncated. */
  public static final int MAX_PASSWORD_BYTES = 72;
  public static final int MIN_PASSWORD_CHARS = 8;
  private final int cost;

  public PasswordHasher(int cost) {
    this.cost = cost;
  }

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  public boolean matches(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return false;
    }
    return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
  }

  /** Why a new password is not acceptable, or null when it is. */
  public static String problemWith(String password) {
    if (password == null || password.length() < MIN_PASSWORD_CHARS) {
      return "密码至少需要" + MIN_PASSWORD_CHARS + "个字符";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return "密码太长（最多" + MAX_PASSWORD_BYTES + "字节）";
    }
    return null;
  }
}
