package cn.legalkoi.proposals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statements on {@code guidance_proposals}, which the tickets module creates and fills when an adviser resolves a
 * ticket with a proposal. Blocking JDBC: run through {@link cn.legalkoi.store.Store#run}.
 */
final class ProposalStore {
  private static final int LIST_LIMIT = 500;
  private static final String COLUMNS = "id, ticket_id, author, title, answer, state, doc_id, reviewed_by,"
      + " created_at, reviewed_at";

  private ProposalStore() {
  }

  /** Proposals in one state (null: any), oldest first. */
  static List<Proposal> list(Connection c, String state) throws SQLException {
    return state == null
        ? select(c, "ORDER BY id LIMIT ?", LIST_LIMIT)
        : select(c, "WHERE state = ? ORDER BY id LIMIT ?", state, LIST_LIMIT);
  }

  static Optional<Proposal> find(Connection c, long id) throws SQLException {
    List<Proposal> found = select(c, "WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Settles a pending proposal; false when it was already settled. */
  static boolean settle(Connection c, long id, String state, String docId, String admin, long now)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE guidance_proposals SET state = ?, doc_id = ?,"
        + " reviewed_by = ?, reviewed_at = ? WHERE id = ? AND state = 'proposed'")) {
      st.setString(1, state);
      st.setString(2, docId);
      st.setString(3, admin);
      st.setLong(4, now);
      st.setLong(5, id);
      return st.executeUpdate() == 1;
    }
  }

  private static List<Proposal> select(Connection c, String where, Object... args) throws SQLException {
    List<Proposal> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM guidance_proposals " + where)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Proposal(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10)));
        }
      }
    }
    return out;
  }
}
