package cn.legalkoi.gaps;

import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.SearchHit;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What owners needed and did not get: the questions of a time window that ended in no_answer, clarify or 不满意,
 * with personal numbers masked, grouped by meaning, each group with the guidance search finds nearest to it. The
 * to-do list for new guidance.
 */
final class UnmetNeeds {
  /** The latest questions read; older ones in the window are left out so a view stays quick. */
  static final int MAX_QUESTIONS = 2000;
  /** Groups returned, largest first; each costs one search for its nearest guidance. */
  static final int MAX_GROUPS = 200;

  private final Vertx vertx;
  private final Store store;
  private final IndexService index;
  private final KnowledgeSearcher searcher;
  private final QuestionSimilarity similarity;
  private final Clock clock;

  UnmetNeeds(Vertx vertx, Store store, IndexService index, KnowledgeSearcher searcher, QuestionSimilarity similarity,
      Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.index = index;
    this.searcher = searcher;
    this.similarity = similarity;
    this.clock = clock;
  }

  /** The report of the last {@code days} days as the admin API returns it. */
  Future<JsonObject> report(int days) {
    long since = clock.millis() - Duration.ofDays(days).toMillis();
    return store.run(c -> UnmetQuestionStore.since(c, since, MAX_QUESTIONS))
        .compose(questions -> vertx.executeBlocking(() -> group(questions), true)
            .compose(groups -> nearestGuidance(groups).map(nearest -> toJson(questions.size(), groups, nearest))));
  }

  private List<QuestionGroups.Group> group(List<UnmetQuestion> questions) {
    List<UnmetQuestion> masked = questions.stream()
        .map(q -> new UnmetQuestion(q.key(), cn.legalkoi.logging.PersonalDataMask.mask(q.text()), q.askedAt(), q.outcomes())).toList();
    List<QuestionGroups.Group> groups = QuestionGroups.of(masked, similarity.representation(), similarity.threshold());
    return groups.size() <= MAX_GROUPS ? groups : groups.subList(0, MAX_GROUPS);
  }

  /** The nearest guidance of each group's representative, or null; all null while no index serves. */
  private Future<List<String>> nearestGuidance(List<QuestionGroups.Group> groups) {
    return index.onLiveIndex(g -> {
      List<String> nearest = new ArrayList<>(groups.size());
      for (QuestionGroups.Group group : groups) {
        nearest.add(searcher.search(g, group.representative(), 1, SearchHit.GUIDANCE).stream().findFirst()
            .map(SearchHit::docId).orElse(null));
      }
      return nearest;
    }).map(found -> found.orElseGet(() -> {
      List<String> none = new ArrayList<>();
      groups.forEach(group -> none.add(null));
      return none;
    }));
  }

  private static JsonObject toJson(int questions, List<QuestionGroups.Group> groups, List<String> nearest) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < groups.size(); i++) {
      QuestionGroups.Group g = groups.get(i);
      JsonObject outcomes = new JsonObject();
      g.outcomes().forEach((o, n) -> outcomes.put(o.wireName(), n));
      out.add(new JsonObject()
          .put("representative", g.representative())
          .put("count", g.count())
          .put("outcomes", outcomes)
          .put("examples", new JsonArray(g.examples()))
          .put("nearestDocId", nearest.get(i))
          .put("firstSeen", Instant.ofEpochMilli(g.firstSeen()).toString())
          .put("lastSeen", Instant.ofEpochMilli(g.lastSeen()).toString()));
    }
    return new JsonObject().put("groups", out).put("questions", questions);
  }
}
