package cn.legalkoi.tickets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Collator;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 315 report for one month: per department, how many tickets met each milestone of the promise, the breaches,
 * and the owners' ratings. Pure over a connection (blocking JDBC: run through {@link cn.legalkoi.store.Store#run}).
 *
 * <ul>
 *   <li><b>Which tickets:</b> those opened in the calendar month in the SLA time zone ({@code opened_at} from the
 *       first day's 00:00 up to, not including, the next month's).</li>
 *   <li><b>A milestone</b> ({@code respond}; {@code settle} for a simple matter, {@code feedback} for a complex one)
 *       is met on time when {@code met_at > 0 && met_at <= due}; it is due once met or once its deadline has passed
 *       ({@code now > due}); until then it is pending, not a failure (see {@link MilestoneTally}).</li>
 *   <li><b>Which department:</b> a missed milestone counts against the department charged with its breach in
 *       {@code ticket_breaches} (the one holding the ticket when the deadline passed); a milestone met on time or
 *       pending, the ticket count, its complexity and its rating count under the department holding the ticket
 *       now. A department can so show a missed milestone on a ticket it no longer holds.</li>
 *   <li><b>Breaches listed:</b> the rows of {@code ticket_breaches} whose deadline falls in the month, under the
 *       department the row charges, whenever the ticket was opened (one opened on the 31st can breach on the 1st).
 *       </li>
 *   <li><b>Ratings:</b> of the month's tickets rated 1–5 by their owners (满意 is 5, 不满意 1); unrated ones are left
 *       out of the count and the average.</li>
 * </ul>
 *
 * With a department given, only it is reported (with zeros when it had nothing) and the total is its figures.
 */
record MonthlyReport(YearMonth month, ZoneId zone, List<ReportFigures> departments, ReportFigures total) {
  private static final Comparator<String> BY_NAME = Collator.getInstance(Locale.CHINA)::compare;

  /** A missed deadline as {@code ticket_breaches} records it. */
  record Breach(long ticketId, String milestone, long dueAt, String department) {
    static final Comparator<Breach> ORDER = Comparator.comparingLong(Breach::dueAt)
        .thenComparingLong(Breach::ticketId).thenComparing(Breach::milestone);
  }

  /**
   * @param department only this department, or null for all
   * @param now what "the deadline has passed" is measured against (epoch ms)
   */
  static MonthlyReport compute(Connection c, YearMonth month, ZoneId zone, String department, long now)
      throws SQLException {
    long from = month.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
    long to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
    Map<String, ReportFigures> byDepartment = new TreeMap<>(BY_NAME.thenComparing(Comparator.naturalOrder()));
    Map<String, String> charged = chargedDepartments(c, from, to);
    try (PreparedStatement st = c.prepareStatement("SELECT id, complexity, department, rating, respond_due,"
        + " respond_met_at, final_due, final_met_at FROM tickets WHERE opened_at >= ? AND opened_at < ?")) {
      st.setLong(1, from);
      st.setLong(2, to);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          boolean complex = Ticket.COMPLEX.equals(rs.getString(2));
          String holder = rs.getString(3);
          figures(byDepartment, holder).countTicket(complex, rs.getInt(4));
          count(byDepartment, charged, id, holder, ReportFigures.RESPOND, rs.getLong(5), rs.getLong(6), now);
          count(byDepartment, charged, id, holder, complex ? ReportFigures.FEEDBACK : ReportFigures.SETTLE,
              rs.getLong(7), rs.getLong(8), now);
        }
      }
    }
    try (PreparedStatement st = c.prepareStatement("SELECT ticket_id, milestone, due_at, department"
        + " FROM ticket_breaches WHERE due_at >= ? AND due_at < ?")) {
      st.setLong(1, from);
      st.setLong(2, to);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Breach b = new Breach(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
          figures(byDepartment, b.department()).listBreach(b);
        }
      }
    }
    List<ReportFigures> shown = department == null ? List.copyOf(byDepartment.values())
        : List.of(byDepartment.getOrDefault(department, new ReportFigures(department)));
    ReportFigures total = new ReportFigures(null);
    shown.forEach(total::add);
    return new MonthlyReport(month, zone, shown, total);
  }

  private static void count(Map<String, ReportFigures> byDepartment, Map<String, String> charged, long ticketId,
      String holder, String milestone, long dueAt, long metAt, long now) {
    MilestoneTally.Outcome outcome = MilestoneTally.outcome(dueAt, metAt, now);
    String department = outcome == MilestoneTally.Outcome.MISSED
        ? charged.getOrDefault(ticketId + "/" + milestone, holder) : holder;
    figures(byDepartment, department).countMilestone(milestone, outcome);
  }

  /** "ticketId/milestone" → the department charged with that breach, for the tickets opened in [from, to). */
  private static Map<String, String> chargedDepartments(Connection c, long from, long to) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement("SELECT b.ticket_id, b.milestone, b.department"
        + " FROM ticket_breaches b JOIN tickets t ON t.id = b.ticket_id WHERE t.opened_at >= ? AND t.opened_at < ?")) {
      st.setLong(1, from);
      st.setLong(2, to);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1) + "/" + rs.getString(2), rs.getString(3));
        }
      }
    }
    return out;
  }

  private static ReportFigures figures(Map<String, ReportFigures> byDepartment, String department) {
    return byDepartment.computeIfAbsent(department, ReportFigures::new);
  }
}
