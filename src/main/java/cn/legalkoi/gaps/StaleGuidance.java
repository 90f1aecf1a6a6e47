package cn.legalkoi.gaps;

import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.search.IndexService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Guidance the service team last reviewed longer ago than the configured age: due for another check. */
final class StaleGuidance {
  record Stale(String id, String title, LocalDate reviewed, long ageMonths) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("title", title).put("reviewed", reviewed.toString())
          .put("ageMonths", ageMonths);
    }
  }

  private final IndexService index;
  private final int maxAgeMonths;
  private final Clock clock;

  StaleGuidance(IndexService index, int maxAgeMonths, Clock clock) {
    this.index = index;
    this.maxAgeMonths = maxAgeMonths;
    this.clock = clock;
  }

  /** The report as the admin API returns it; empty while no index serves. */
  Future<Optional<JsonObject>> report() {
    LocalDate today = LocalDate.now(clock);
    return index.onLiveIndex(g -> {
      JsonArray guidance = new JsonArray();
      of(g.guidance().values(), today, maxAgeMonths).forEach(s -> guidance.add(s.toJson()));
      return new JsonObject().put("maxAgeMonths", maxAgeMonths).put("guidance", guidance);
    });
  }

  /** Reviewed more than {@code maxAgeMonths} whole months before {@code today}, oldest first. */
  static List<Stale> of(Collection<GuidanceDocument> guidance, LocalDate today, int maxAgeMonths) {
    return guidance.stream()
        .filter(doc -> doc.reviewed().plusMonths(maxAgeMonths).isBefore(today))
        .map(doc -> new Stale(doc.id(), doc.title(), doc.reviewed(), ChronoUnit.MONTHS.between(doc.reviewed(), today)))
        .sorted(Comparator.comparing(Stale::reviewed).thenComparing(Stale::id))
        .toList();
  }
}
