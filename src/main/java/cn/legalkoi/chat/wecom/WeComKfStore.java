package cn.legalkoi.chat.wecom;

import cn.legalkoi.store.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * 微信客服's tables: the {@code kf/sync_msg} cursor of each customer-service account, and each customer's reply
 * window (when they last wrote, how many replies since), which the adviser console reads to tell whether 微信客服
 * can still reach them. Blocking JDBC: run through {@link cn.legalkoi.store.Store#run}.
 */
public final class WeComKfStore {
  public static final List<Migration> MIGRATIONS = List.of(Migration.of("wecom_kf", 1,
      "CREATE TABLE wecom_kf_cursors ("
          + " open_kfid TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at INTEGER NOT NULL)",
      "CREATE TABLE wecom_kf_owners ("
          + " external_userid TEXT NOT NULL, open_kfid TEXT NOT NULL,"
          + " last_msgid TEXT NOT NULL, last_message_at INTEGER NOT NULL,"
          + " replies_since INTEGER NOT NULL DEFAULT 0,"
          + " updated_at INTEGER NOT NULL,"
          + " PRIMARY KEY (external_userid, open_kfid))"));

  private WeComKfStore() {
  }

  /** Where the next {@code kf/sync_msg} of this account starts; empty before the first. */
  static String cursor(Connection c, String openKfId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT cursor FROM wecom_kf_cursors WHERE open_kfid = ?")) {
      st.setString(1, openKfId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  /** Every account that has synced at least once. */
  static List<String> accounts(Connection c) throws SQLException {
    List<String> accounts = new java.util.ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT open_kfid FROM wecom_kf_cursors ORDER BY open_kfid");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        accounts.add(rs.getString(1));
      }
    }
    return accounts;
  }

  static void saveCursor(Connection c, String openKfId, String cursor, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO wecom_kf_cursors (open_kfid, cursor, updated_at)"
        + " VALUES (?, ?, ?) ON CONFLICT (open_kfid) DO UPDATE SET cursor = excluded.cursor,"
        + " updated_at = excluded.updated_at")) {
      st.setString(1, openKfId);
      st.setString(2, cursor);
      st.setLong(3, now);
      st.executeUpdate();
    }
  }

  /**
   * The customer wrote: their window opens again from {@code sentAt} with no replies counted. Called before the
   * message is recorded in {@code inbound}, so that its reply never meets the old window; a message already
   * recorded there (a page synced again after a restart) changes nothing.
   */
  static void customerWrote(Connection c, KfMessage m, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO wecom_kf_owners (external_userid, open_kfid,"
        + " last_msgid, last_message_at, replies_since, updated_at)"
        + " SELECT ?, ?, ?, ?, 0, ? WHERE NOT EXISTS (SELECT 1 FROM inbound WHERE channel = ? AND message_id = ?)"
        + " ON CONFLICT (external_userid, open_kfid) DO UPDATE SET last_msgid = excluded.last_msgid,"
        + " last_message_at = excluded.last_message_at, replies_since = 0, updated_at = excluded.updated_at"
        + " WHERE excluded.last_message_at >= wecom_kf_owners.last_message_at")) {
      st.setString(1, m.message().userId());
      st.setString(2, m.openKfId());
      st.setString(3, m.message().messageId());
      st.setLong(4, m.sentAt());
      st.setLong(5, now);
      st.setString(6, m.message().channel().wireName());
      st.setString(7, m.message().messageId());
      st.executeUpdate();
    }
  }

  /**
   * How long and for how many more replies 微信客服 lets the service write to this customer, across the accounts
   * they wrote to: the most open window. Empty when no message from them is recorded.
   */
  public static Optional<ReplyWindow> window(Connection c, String externalUserId, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT last_message_at, replies_since FROM wecom_kf_owners"
        + " WHERE external_userid = ? ORDER BY last_message_at DESC LIMIT 1")) {
      st.setString(1, externalUserId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long until = rs.getLong(1) + KfReplyWindow.OPEN_FOR.toMillis();
        int left = Math.max(0, KfReplyWindow.MAX_REPLIES - rs.getInt(2));
        return Optional.of(new ReplyWindow(until, now < until ? left : 0));
      }
    }
  }

  /** 微信客服's reply window for one customer: open until {@code until} (epoch ms) for {@code repliesLeft} more. */
  public record ReplyWindow(long until, int repliesLeft) {
  }

  /** Counts one more reply to the customer if the window allows it; otherwise the reason it does not. */
  static Optional<String> reserveReply(Connection c, String openKfId, String externalUserId, long now)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT last_message_at, replies_since FROM wecom_kf_owners"
        + " WHERE external_userid = ? AND open_kfid = ?")) {
      st.setString(1, externalUserId);
      st.setString(2, openKfId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.of("微信客服 reply refused: no message from this customer to " + openKfId + " is recorded");
        }
        Optional<String> refusal = KfReplyWindow.refusal(rs.getLong(1), rs.getInt(2), now);
        if (refusal.isPresent()) {
          return refusal;
        }
      }
    }
    changeReplies(c, openKfId, externalUserId, 1, now);
    return Optional.empty();
  }

  /** A reserved reply that did not go out. */
  static void releaseReply(Connection c, String openKfId, String externalUserId, long now) throws SQLException {
    changeReplies(c, openKfId, externalUserId, -1, now);
  }

  private static void changeReplies(Connection c, String openKfId, String externalUserId, int by, long now)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE wecom_kf_owners SET replies_since ="
        + " CASE WHEN replies_since + ? < 0 THEN 0 ELSE replies_since + ? END, updated_at = ?"
        + " WHERE external_userid = ? AND open_kfid = ?")) {
      st.setInt(1, by);
      st.setInt(2, by);
      st.setLong(3, now);
      st.setString(4, externalUserId);
      st.setString(5, openKfId);
      st.executeUpdate();
    }
  }
}
