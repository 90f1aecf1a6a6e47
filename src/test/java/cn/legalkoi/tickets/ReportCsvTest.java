package cn.legalkoi.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportCsvTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  @DisplayName("a cell beginning with = + - @, a tab or a carriage return gets a leading ' and is never a formula")
  void formulaCellsAreInert() {
    assertEquals("'=1+2", ReportCsv.cell("=1+2"));
    assertEquals("'+86 571", ReportCsv.cell("+86 571"));
    assertEquals("'-1+2", ReportCsv.cell("-1+2"));
    assertEquals("'@SUM(A1)", ReportCsv.cell("@SUM(A1)"));
    assertEquals("'\tcmd", ReportCsv.cell("\tcmd"));
    assertEquals("\"'\r=1\"", ReportCsv.cell("\r=1"), "guarded, then quoted for the line break");
    assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", ReportCsv.cell("=HYPERLINK(\"http://x\")"));
  }

  @Test
  @DisplayName("RFC 4180: commas, quotes and line breaks are quoted with quotes doubled; anything else is left as it is")
  void quoting() {
    assertEquals("\"财税,一组\"", ReportCsv.cell("财税,一组"));
    assertEquals("\"说\"\"好\"\"的\"", ReportCsv.cell("说\"好\"的"));
    assertEquals("\"一\n二\"", ReportCsv.cell("一\n二"));
    assertEquals("综合执法", ReportCsv.cell("综合执法"));
    assertEquals("1-2", ReportCsv.cell("1-2"), "only the first character matters");
    assertEquals("'=", ReportCsv.cell("="));
    assertEquals("", ReportCsv.cell(""));
    assertEquals("", ReportCsv.cell(null));
  }

  @Test
  @DisplayName("the sheet: BOM, title, one row per department, the total, then the breaches; shares as percentages")
  void rendersTheSheet() {
    ReportFigures tax = new ReportFigures("财税,一组");
    tax.countTicket(false, 5);
    tax.countTicket(false, 0);
    tax.countTicket(true, 4);
    tax.countMilestone(ReportFigures.RESPOND, MilestoneTally.Outcome.MET);
    tax.countMilestone(ReportFigures.RESPOND, MilestoneTally.Outcome.MET);
    tax.countMilestone(ReportFigures.RESPOND, MilestoneTally.Outcome.MISSED);
    tax.countMilestone(ReportFigures.SETTLE, MilestoneTally.Outcome.MET);
    tax.countMilestone(ReportFigures.SETTLE, MilestoneTally.Outcome.PENDING);
    tax.countMilestone(ReportFigures.FEEDBACK, MilestoneTally.Outcome.PENDING);
    tax.listBreach(new MonthlyReport.Breach(9, ReportFigures.RESPOND, at("2026-11-03T09:30"), "财税,一组"));
    ReportFigures evil = new ReportFigures("@cmd");
    evil.listBreach(new MonthlyReport.Breach(7, ReportFigures.SETTLE, at("2026-11-02T17:30"), "@cmd"));
    ReportFigures total = new ReportFigures(null);
    total.add(tax);
    total.add(evil);
    MonthlyReport report = new MonthlyReport(YearMonth.of(2026, 11), SHANGHAI, List.of(evil, tax), total);

    String csv = ReportCsv.render(report);
    assertEquals("315-report-2026-11.csv", ReportCsv.fileName(report));
    assertTrue(csv.startsWith("\uFEFF315联动报表,2026-11,Asia/Shanghai\r\n部门,工单数,"), csv);
    assertEquals(List.of(
        "315联动报表,2026-11,Asia/Shanghai",
        "部门,工单数,简单,复杂,响应按时,响应应达,响应按时率,办结按时,办结应达,办结按时率,反馈按时,反馈应达,反馈按时率,未到期,"
            + "评价数,平均评分,1分,2分,3分,4分,5分",
        "'@cmd,0,0,0,0,0,,0,0,,0,0,,0,0,,0,0,0,0,0",
        "\"财税,一组\",3,2,1,2,3,66.67%,1,1,100%,0,0,,2,2,4.5,0,0,0,1,1",
        "合计,3,2,1,2,3,66.67%,1,1,100%,0,0,,2,2,4.5,0,0,0,1,1",
        "",
        "超时明细",
        "部门,工单号,超时节点,时限",
        "'@cmd,7,办结,2026-11-02 17:30",
        "\"财税,一组\",9,响应,2026-11-03 09:30"), List.of(csv.substring(1).split("\r\n")));
    assertTrue(csv.endsWith("\r\n"));
  }

  @Test
  @DisplayName("a milestone met at its deadline is on time, one not met at its deadline is still pending, one a"
      + " moment later is missed, and a share of nothing due is null")
  void milestoneOutcomes() {
    long due = at("2026-11-03T09:30");
    assertEquals(MilestoneTally.Outcome.MET, MilestoneTally.outcome(due, due, due + 1));
    assertEquals(MilestoneTally.Outcome.MISSED, MilestoneTally.outcome(due, due + 1, due + 1));
    assertEquals(MilestoneTally.Outcome.PENDING, MilestoneTally.outcome(due, 0, due));
    assertEquals(MilestoneTally.Outcome.MISSED, MilestoneTally.outcome(due, 0, due + 1));
    MilestoneTally tally = new MilestoneTally();
    assertEquals(null, tally.share());
    tally.count(MilestoneTally.Outcome.PENDING);
    assertEquals(null, tally.share(), "a pending milestone is not due");
    tally.count(MilestoneTally.Outcome.MISSED);
    assertEquals(0.0, tally.share());
    tally.count(MilestoneTally.Outcome.MET);
    tally.count(MilestoneTally.Outcome.MET);
    assertEquals(0.6667, tally.share());
    assertEquals(3, tally.due());
    assertEquals(1, tally.pending());
  }

  private static long at(String local) {
    return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
  }
}
