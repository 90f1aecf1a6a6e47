package cn.legalkoi.search;

import cn.legalkoi.knowledge.LoadProblem;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One reindex run, as {@code GET /api/v1/admin/reindex/{jobId}} reports it. Updated from the build thread. */
public final class ReindexJob {
  /** Where a job is. */
  public enum State { RUNNING, DONE, FAILED }

  private final String id;
  private final boolean forced;
  private final Instant startedAt;
  private final AtomicInteger written = new AtomicInteger();
  private final Promise<ReindexJob> finished = Promise.promise();
  private volatile State state = State.RUNNING;
  private volatile String phase = "loading";
  private volatile Instant finishedAt;
  private volatile String error;
  private volatile int totalPassages;
  private volatile int documents;
  private volatile List<LoadProblem> problems = List.of();
  private volatile List<String> unresolvedCitations = List.of();
  private volatile int embeddedSoFar;
  private volatile int vectorsCached = -1;

  public ReindexJob(String id, boolean forced, Instant startedAt) {
    this.id = id;
    this.forced = forced;
    this.startedAt = startedAt;
  }

  public String id() {
    return id;
  }

  boolean forced() {
    return forced;
  }

  public State state() {
    return state;
  }

  public String error() {
    return error;
  }

  public List<LoadProblem> problems() {
    return problems;
  }

  public List<String> unresolvedCitations() {
    return unresolvedCitations;
  }

  void loaded(int documents, int passages, List<LoadProblem> problems, List<String> unresolvedCitations) {
    this.documents = documents;
    this.totalPassages = passages;
    this.problems = List.copyOf(problems);
    this.unresolvedCitations = List.copyOf(unresolvedCitations);
    this.phase = "indexing";
  }

  void progress(int passagesWritten) {
    written.set(passagesWritten);
  }

  void embedding(int embedded) {
    embeddedSoFar = embedded;
  }

  int passages() {
    return totalPassages;
  }

  int embeddedSoFar() {
    return embeddedSoFar;
  }

  void embedded(int cached, int embedded) {
    vectorsCached = cached;
    embeddedSoFar = embedded;
  }

  void phase(String phase) {
    this.phase = phase;
  }

  void succeed(Instant at) {
    finishedAt = at;
    phase = "live";
    state = State.DONE;
    finished.tryComplete(this);
  }

  void fail(String reason, Instant at) {
    error = reason;
    finishedAt = at;
    state = State.FAILED;
    finished.tryComplete(this);
  }

  /** Completes when the job is done or failed. */
  public Future<ReindexJob> finished() {
    return finished.future();
  }

  public JsonObject toJson() {
    JsonArray skipped = new JsonArray();
    JsonArray warnings = new JsonArray();
    for (LoadProblem p : problems) {
      (p.skipped() ? skipped : warnings).add(new JsonObject().put("path", p.path()).put("reason", p.reason()));
    }
    JsonObject json = new JsonObject()
        .put("jobId", id)
        .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
        .put("phase", phase)
        .put("forced", forced)
        .put("startedAt", startedAt.toString())
        .put("documents", documents)
        .put("passages", totalPassages)
        .put("passagesWritten", written.get())
        .put("skipped", skipped)
        .put("warnings", warnings)
        .put("unresolvedCitations", new JsonArray(unresolvedCitations));
    if (vectorsCached >= 0 || "embedding".equals(phase)) {
      json.put("embedding", new JsonObject().put("embedded", embeddedSoFar)
          .put("cached", Math.max(0, vectorsCached)));
    }
    if (finishedAt != null) {
      json.put("finishedAt", finishedAt.toString());
    }
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }
}
