package cn.legalkoi.tickets;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The 315 report as a spreadsheet: a UTF-8 byte-order mark (so Excel reads the Chinese), one row per department and
 * a total row, a blank row, then the breaches, one per row. Cells follow RFC 4180 (quoted when they hold a comma, a
 * quote or a line break, quotes doubled; rows end in CRLF). Department names are typed by admins, so a cell
 * beginning with {@code = + - @}, a tab or a carriage return is prefixed with {@code '} and a spreadsheet shows it
 * as text instead of running it: {@code =HYPERLINK("http://x")} becomes {@code "'=HYPERLINK(""http://x"")"}.
 */
final class ReportCsv {
  static final String BOM = "\uFEFF";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final Map<String, String> MILESTONES = Map.of(ReportFigures.RESPOND, "响应",
      ReportFigures.SETTLE, "办结", ReportFigures.FEEDBACK, "反馈");
  private static final List<String> FIGURES_HEADER = List.of("部门", "工单数", "简单", "复杂",
      "响应按时", "响应应达", "响应按时率", "办结按时", "办结应达", "办结按时率", "反馈按时", "反馈应达", "反馈按时率",
      "未到期", "评价数", "平均评分", "1分", "2分", "3分", "4分", "5分");
  private static final List<String> BREACHES_HEADER = List.of("部门", "工单号", "超时节点", "时限");

  private ReportCsv() {
  }

  /** The attachment's name: {@code 315-report-2026-11.csv}. */
  static String fileName(MonthlyReport report) {
    return "315-report-" + report.month() + ".csv";
  }

  static String render(MonthlyReport report) {
    StringBuilder out = new StringBuilder(BOM);
    row(out, List.of("315联动报表", report.month().toString(), report.zone().getId()));
    row(out, FIGURES_HEADER);
    report.departments().forEach(f -> row(out, figures(f.department(), f)));
    row(out, figures("合计", report.total()));
    row(out, List.of());
    row(out, List.of("超时明细"));
    row(out, BREACHES_HEADER);
    for (MonthlyReport.Breach b : report.total().breaches()) {
      row(out, List.of(b.department(), Long.toString(b.ticketId()), MILESTONES.getOrDefault(b.milestone(),
          b.milestone()), TIME.format(Instant.ofEpochMilli(b.dueAt()).atZone(report.zone()))));
    }
    return out.toString();
  }

  private static List<String> figures(String name, ReportFigures f) {
    List<String> cells = new ArrayList<>(List.of(name, n(f.tickets()), n(f.simple()), n(f.complex())));
    for (String milestone : List.of(ReportFigures.RESPOND, ReportFigures.SETTLE, ReportFigures.FEEDBACK)) {
      MilestoneTally t = f.tally(milestone);
      cells.add(n(t.met()));
      cells.add(n(t.due()));
      cells.add(percent(t.share()));
    }
    cells.add(n(f.pending()));
    cells.add(n(f.ratingCount()));
    cells.add(f.ratingAverage() == null ? "" : f.ratingAverage().toString());
    for (int score = 1; score <= 5; score++) {
      cells.add(n(f.rated(score)));
    }
    return cells;
  }

  private static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i)));
    }
    out.append("\r\n");
  }

  /** One cell, made inert and quoted: {@code -1+2} → {@code '-1+2}; {@code a,"b"} → {@code "a,""b"""}. */
  static String cell(String value) {
    String text = value == null ? "" : value;
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }

  private static String n(int value) {
    return Integer.toString(value);
  }

  /** 2 of 3 is 66.67%; nothing due is an empty cell. */
  private static String percent(Double share) {
    return share == null ? "" : java.math.BigDecimal.valueOf(share * 100).setScale(2, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString() + "%";
  }
}
