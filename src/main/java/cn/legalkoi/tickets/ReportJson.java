package cn.legalkoi.tickets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The 315 report as {@code GET /api/v1/admin/report} gives it (see {@link MonthlyReport} for what counts). */
final class ReportJson {
  private ReportJson() {
  }

  /**
   * {@code {"month":"2026-11","timeZone":"Asia/Shanghai","departments":[{...}],"total":{...}}}, each department
   * {@code {"department","tickets","simple","complex","respond":{"met","due","share","pending"},"settle":{...},
   * "feedback":{...},"pending","breaches":[{"ticketId","milestone","due"}],"ratings":{"count","average",
   * "distribution":{"1":n,…,"5":n}}}}; the total has the same figures without {@code department}.
   */
  static JsonObject of(MonthlyReport report) {
    JsonArray departments = new JsonArray();
    report.departments().forEach(f -> departments.add(figures(f, report)));
    return new JsonObject()
        .put("month", report.month().toString())
        .put("timeZone", report.zone().getId())
        .put("departments", departments)
        .put("total", figures(report.total(), report));
  }

  private static JsonObject figures(ReportFigures f, MonthlyReport report) {
    JsonObject out = new JsonObject();
    if (f.department() != null) {
      out.put("department", f.department());
    }
    out.put("tickets", f.tickets()).put("simple", f.simple()).put("complex", f.complex());
    for (String milestone : new String[] {ReportFigures.RESPOND, ReportFigures.SETTLE, ReportFigures.FEEDBACK}) {
      MilestoneTally t = f.tally(milestone);
      out.put(milestone, new JsonObject().put("met", t.met()).put("due", t.due()).put("share", t.share())
          .put("pending", t.pending()));
    }
    out.put("pending", f.pending());
    JsonArray breaches = new JsonArray();
    for (MonthlyReport.Breach b : f.breaches()) {
      breaches.add(new JsonObject().put("ticketId", b.ticketId()).put("milestone", b.milestone())
          .put("due", TicketTimes.iso(b.dueAt(), report.zone())).put("department", b.department()));
    }
    out.put("breaches", breaches);
    JsonObject distribution = new JsonObject();
    for (int score = 1; score <= 5; score++) {
      distribution.put(Integer.toString(score), f.rated(score));
    }
    out.put("ratings", new JsonObject().put("count", f.ratingCount()).put("average", f.ratingAverage())
        .put("distribution", distribution));
    return out;
  }
}
