package cn.legalkoi.tickets;

import cn.legalkoi.store.Store;
import cn.legalkoi.users.Role;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The monthly 315 report for admins: {@code GET /api/v1/admin/report?month=2026-11[&department=NAME]} as JSON and
 * {@code GET /api/v1/admin/report.csv?…} as a spreadsheet download. A missing or malformed month is 400.
 */
final class ReportRoutes implements RouteModule {
  private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");

  private final Store store;
  private final Clock clock;
  private final ZoneId zone;

  ReportRoutes(Store store, Clock clock, ZoneId zone) {
    this.store = store;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public void mount(Router router, WebKit web) {
    var admin = web.requireRole(Role.ADMIN);
    router.get("/api/v1/admin/report").handler(admin).handler(this::json);
    router.get("/api/v1/admin/report.csv").handler(admin).handler(this::csv);
  }

  private void json(RoutingContext ctx) {
    report(ctx).ifPresent(report -> report.onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
      } else {
        Replies.json(ctx, 200, ReportJson.of(r.result()));
      }
    }));
  }

  private void csv(RoutingContext ctx) {
    report(ctx).ifPresent(report -> report.onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"" + ReportCsv.fileName(r.result()) + "\"")
          .end(Buffer.buffer(ReportCsv.render(r.result()).getBytes(StandardCharsets.UTF_8)));
    }));
  }

  /** The report the query asks for, or empty after a 400. */
  private Optional<Future<MonthlyReport>> report(RoutingContext ctx) {
    String month = ctx.request().getParam("month");
    if (month == null || !MONTH.matcher(month.strip()).matches()) {
      Replies.badRequest(ctx, "请用 month=YYYY-MM 指定月份，如 month=2026-11");
      return Optional.empty();
    }
    YearMonth chosen = YearMonth.parse(month.strip());
    String department = Optional.ofNullable(ctx.request().getParam("department")).map(String::strip)
        .filter(d -> !d.isEmpty()).orElse(null);
    return Optional.of(store.run(c -> MonthlyReport.compute(c, chosen, zone, department, clock.millis())));
  }
}
