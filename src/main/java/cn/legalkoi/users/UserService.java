package cn.legalkoi.users;

import static cn.legalkoi.store.Transactions.inTransaction;

import cn.legalkoi.store.Migration;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Users, passwords and sign-in tokens. Tokens are random and only their SHA-256 is stored, so a copy of the
 * database does not let anyone sign in.
 */
public final class UserService {
  public static final String BOOTSTRAP_ADMIN = "admin";
  /** The users module's schema. */
  public static final List<Migration> MIGRATIONS = List.of(Migration.of("users", 1,
      "CREATE TABLE IF NOT EXISTS users ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " username TEXT NOT NULL UNIQUE,"
          + " password_hash TEXT NOT NULL,"
          + " role TEXT NOT NULL CHECK (role IN ('admin', 'adviser')),"
          + " created_at TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS sessions ("
          + " token_hash TEXT PRIMARY KEY,"
          + " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
          + " expires_at INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at)"),
      // departments: the promise is kept across them; an adviser works the tickets of the ones they belong to
      Migration.of("users", 2,
          "ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
          "CREATE TABLE departments (name TEXT PRIMARY KEY, active INTEGER NOT NULL DEFAULT 1,"
              + " created_at TEXT NOT NULL)",
          "CREATE TABLE user_departments (user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
              + " department TEXT NOT NULL REFERENCES departments(name), PRIMARY KEY (user_id, department))",
          // every adviser and admin action, kept at least six months (网络安全法第二十一条)
          "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,"
              + " action TEXT NOT NULL, target TEXT, detail TEXT)",
          "CREATE INDEX audit_log_at ON audit_log(at)"));
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

  private final WorkerExecutor passwords;
  private final Store db;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /** Checked when the username is unknown, so a wrong username takes as long as a wrong password. */
  private final String decoyHash;

  public UserService(Vertx vertx, Store db, PasswordHasher hasher, Clock clock) {
    this.passwords = vertx.createSharedWorkerExecutor("legal-koi-passwords", 2);
    this.db = db;
    this.hasher = hasher;
    this.clock = clock;
    this.decoyHash = hasher.hash(Long.toHexString(random.nextLong()));
  }

  /** Thrown when a username is already taken. */
  public static final class DuplicateUserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DuplicateUserException(String username) {
      super("user '" + username + "' already exists");
    }
  }

  public Future<User> create(String username, String password, Role role) {
    return create(username, password, role, List.of());
  }

  /**
   * Creates a user who works the tickets of {@code departments}; fails with {@link UnknownDepartmentException} when
   * one of them is not an active department, and with {@link DuplicateUserException} when the name is taken.
   */
  public Future<User> create(String username, String password, Role role, List<String> departments) {
    return passwords.executeBlocking(() -> hasher.hash(password), false)
        .compose(hash -> db.run(c -> inTransaction(c, () -> {
          for (String department : departments) {
            if (!Departments.isActive(c, department)) {
              throw new UnknownDepartmentException(department);
            }
          }
          long id;
          try (PreparedStatement st = c.prepareStatement(
              "INSERT INTO users(username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
              PreparedStatement.RETURN_GENERATED_KEYS)) {
            st.setString(1, username);
            st.setString(2, hash);
            st.setString(3, role.wireName());
            st.setString(4, clock.instant().toString());
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
              keys.next();
              id = keys.getLong(1);
            }
          } catch (SQLException e) {
            // SQLite names the constraint; PostgreSQL gives the unique_violation state
            if ("23505".equals(e.getSQLState()) || e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
              throw new DuplicateUserException(username);
            }
            throw e;
          }
          try (PreparedStatement st = c.prepareStatement(
              "INSERT INTO user_departments(user_id, department) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (String department : departments) {
              st.setLong(1, id);
              st.setString(2, department);
              st.executeUpdate();
            }
          }
          return new User(id, username, role, departments);
        })));
  }

  /** Thrown when a user is put in a department that does not exist or is disabled. */
  public static final class UnknownDepartmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownDepartmentException(String department) {
      super("no active department '" + department + "'");
    }
  }

  /** Every user with their departments and whether they may sign in, by name. */
  public Future<List<Account>> list() {
    return db.run(c -> {
      List<Account> out = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("SELECT id, username, role, active FROM users ORDER BY username");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          out.add(new Account(new User(id, rs.getString(2), Role.parse(rs.getString(3)).orElseThrow(),
              departmentsOf(c, id)), rs.getInt(4) == 1));
        }
      }
      return out;
    });
  }

  /** A user as admins manage them. */
  public record Account(User user, boolean active) {
  }

  /**
   * Stops a user from signing in and ends their sessions at once; false when there is no such user. The user and
   * what they did stay in the records.
   */
  public Future<Boolean> disable(String username) {
    return db.run(c -> inTransaction(c, () -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE users SET active = 0 WHERE username = ?")) {
        st.setString(1, username);
        if (st.executeUpdate() == 0) {
          return false;
        }
      }
      try (PreparedStatement st = c.prepareStatement(
          "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)")) {
        st.setString(1, username);
        st.executeUpdate();
      }
      return true;
    }));
  }

  private static List<String> departmentsOf(java.sql.Connection c, long userId) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT department FROM user_departments WHERE user_id = ? ORDER BY department")) {
      st.setLong(1, userId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }



  /** Checks the password and issues a token; empty when the username or password is wrong. */
  public Future<Optional<String>> login(String username, String password) {
    return db.run(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT id, password_hash FROM users WHERE username = ? AND active = 1")) {
        st.setString(1, username);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(new StoredHash(rs.getLong(1), rs.getString(2))) : Optional.<StoredHash>empty();
        }
      }
    }).compose(found -> passwords.executeBlocking(() -> {
      boolean matches = hasher.matches(password, found.map(StoredHash::hash).orElse(decoyHash));
      return found.filter(h -> matches);
    }, false))
        .compose(verified -> verified.isEmpty()
            ? Future.succeededFuture(Optional.<String>empty())
            : issueToken(verified.get().userId).map(Optional::of));
  }

  /** The user a bearer token belongs to, if it is valid and not expired. */
  public Future<Optional<User>> authenticate(String token) {
    String tokenHash = sha256(token);
    long now = clock.instant().getEpochSecond();
    return db.run(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT u.id, u.username, u.role FROM sessions s"
          + " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1")) {
        st.setString(1, tokenHash);
        st.setLong(2, now);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long id = rs.getLong(1);
          String username = rs.getString(2);
          Optional<Role> role = Role.parse(rs.getString(3));
          if (role.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(new User(id, username, role.get(), departmentsOf(c, id)));
        }
      }
    });
  }

  private Future<String> issueToken(long userId) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expires = clock.instant().plus(TOKEN_LIFETIME);
    return db.run(c -> {
      try (PreparedStatement purge = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?");
          PreparedStatement st = c.prepareStatement(
              "INSERT INTO sessions(token_hash, user_id, expires_at) VALUES (?, ?, ?)")) {
        purge.setLong(1, clock.instant().getEpochSecond());
        purge.executeUpdate();
        st.setString(1, sha256(token));
        st.setLong(2, userId);
        st.setLong(3, expires.getEpochSecond());
        st.executeUpdate();
      }
      return token;
    });
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record StoredHash(long userId, String hash) {
  }
}
