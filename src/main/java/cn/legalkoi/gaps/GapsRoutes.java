package cn.legalkoi.gaps;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.store.Migration;
import cn.legalkoi.store.Store;
import cn.legalkoi.users.Role;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * The admins' view of gaps in the guidance: {@code GET /api/v1/admin/unmet[?days=N]} (questions owners did not
 * get met, grouped) and {@code GET /api/v1/admin/stale-guidance} (guidance due for review).
 */
public final class GapsRoutes implements RouteModule {
  static final int DEFAULT_DAYS = 90;
  static final int MAX_DAYS = 3650;

  private final UnmetNeeds unmet;
  private final StaleGuidance stale;

  GapsRoutes(UnmetNeeds unmet, StaleGuidance stale) {
    this.unmet = unmet;
    this.stale = stale;
  }

  /** This package's schema (read indexes only), for the store to apply. */
  public static List<Migration> migrations() {
    return UnmetQuestionStore.MIGRATIONS;
  }

  /** Groups questions by meaning when the searcher embeds (semantic retrieval on), by characters otherwise. */
  public static GapsRoutes create(Vertx vertx, Store store, IndexService index, KnowledgeSearcher searcher,
      AppConfig.Review review, Clock clock) {
    QuestionSimilarity similarity = searcher.embedder()
        .map(embedder -> QuestionSimilarity.byMeaning(new RecentVectors(embedder)::of))
        .orElseGet(QuestionSimilarity::byCharacters);
    return new GapsRoutes(new UnmetNeeds(vertx, store, index, searcher, similarity, clock),
        new StaleGuidance(index, review.maxAgeMonths(), clock));
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/api/v1/admin/unmet").handler(web.requireRole(Role.ADMIN)).handler(this::unmet);
    router.get("/api/v1/admin/stale-guidance").handler(web.requireRole(Role.ADMIN)).handler(this::staleGuidance);
  }

  void unmet(RoutingContext ctx) {
    String param = ctx.request().getParam("days");
    int days;
    try {
      days = param == null ? DEFAULT_DAYS : Integer.parseInt(param.strip());
    } catch (NumberFormatException e) {
      days = -1;
    }
    if (days < 1 || days > MAX_DAYS) {
      Replies.badRequest(ctx, "days 应为 1 到 " + MAX_DAYS + " 之间的整数");
      return;
    }
    unmet.report(days).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else {
        Replies.json(ctx, 200, result.result());
      }
    });
  }

  void staleGuidance(RoutingContext ctx) {
    stale.report().onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isEmpty()) {
        Replies.error(ctx, 503, "starting", "索引尚未就绪，请稍后再试");
      } else {
        Replies.json(ctx, 200, result.result().get());
      }
    });
  }
}
