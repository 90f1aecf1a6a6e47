package cn.legalkoi.search;

import cn.legalkoi.store.ClusterSignals;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.semantic.PassageVectors;
import cn.legalkoi.semantic.SemanticIndexing;
import java.sql.SQLException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.lucene.analysis.Analyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the live index: opens or builds it at start-up, runs searches on a worker pool, and rebuilds it beside
 * the live one on request, swapping only when the new generation is complete and sane.
 */
public final class IndexService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexService.class);
  private static final int KEPT_JOBS = 50;

  private final Vertx vertx;
  private final IndexStore store;
  private final KnowledgeLoader loader;
  private final KnowledgeIndexer indexer;
  private final double maxDropShare;
  private final Clock clock;
  private final LiveIndex live = new LiveIndex();
  private final WorkerExecutor searchPool;
  private volatile SearchAdmission admission;
  private final WorkerExecutor buildPool;
  private final Map<String, ReindexJob> jobs = new LinkedHashMap<>();
  private final AtomicReference<ReindexJob> running = new AtomicReference<>();
  private ReindexJob queued;
  private volatile cn.legalkoi.metrics.ServiceMetrics metrics = cn.legalkoi.metrics.ServiceMetrics.none();
  private final Optional<SemanticIndexing> semantic;

  /**
   * @param semantic the embedding model and vector cache when semantic retrieval is on; empty for lexical only
   */
  private static final String REINDEX_TOPIC = "reindex";
  /** This node, so that it does not rebuild again on hearing its own signal. */
  private final String node = UUID.randomUUID().toString();
  private volatile ClusterSignals signals;
  private volatile boolean closed;

  public IndexService(Vertx vertx, IndexStore store, KnowledgeLoader loader, Analyzer indexAnalyzer,
      double maxDropShare, Clock clock, int searchThreads, Optional<SemanticIndexing> semantic) {
    this.semantic = semantic;
    this.vertx = vertx;
    this.store = store;
    this.loader = loader;
    this.indexer = new KnowledgeIndexer(indexAnalyzer);
    this.maxDropShare = maxDropShare;
    this.clock = clock;
    this.searchPool = vertx.createSharedWorkerExecutor("legal-koi-search", searchThreads);
    this.admission = SearchAdmission.forThreads(searchThreads);
    this.buildPool = vertx.createSharedWorkerExecutor("legal-koi-reindex", 1, 2, java.util.concurrent.TimeUnit.HOURS);
  }

  /**
   * Serves the published generation at once if there is one, and rebuilds in the background when the
   * knowledge files changed since it was built (or builds the first index). Leftover generations of failed or
   * superseded builds are removed. {@link #isServing()} tells when searches can be answered.
   */
  public Future<Optional<ReindexJob>> start() {
    return openPublished()
        .compose(upToDate -> buildPool.executeBlocking(() -> {
          store.removeAllBut(live.peek().map(g -> Set.of(g.directory())).orElse(Set.of()));
          return upToDate;
        }, true))
        .map(upToDate -> upToDate ? Optional.<ReindexJob>empty() : Optional.of(startReindex(!isServing())));
  }

  /** Opens the published generation, if any, without building; true when it matches the knowledge files. */
  public Future<Boolean> openPublished() {
    return buildPool.executeBlocking(() -> {
      Optional<Path> published = store.current();
      if (published.isEmpty()) {
        return false;
      }
      try {
        IndexGeneration generation = IndexGeneration.open(published.get());
        live.swap(generation);
        boolean upToDate = generation.schema().equals(IndexFields.SCHEMA_VERSION)
            && generation.fingerprint().equals(loader.fingerprint())
            && (semantic.isEmpty() || generation.hasVectors());
        LOG.info("Serving index {} ({} passages, {})", published.get().getFileName(), generation.passages(),
            upToDate ? "up to date" : "out of date: files, index schema or vectors changed; rebuilding");
        return upToDate;
      } catch (IOException | RuntimeException e) {
        LOG.warn("Published index {} cannot be opened ({}); it will be rebuilt", published.get(), e.toString());
        return false;
      }
    }, true);
  }

  /** For tools: serves the published generation as it is, building one only when none exists. */
  public Future<Void> openOrBuild() {
    return openPublished().compose(upToDate -> isServing()
        ? Future.succeededFuture()
        : startReindex(true).finished().compose(job -> job.state() == ReindexJob.State.DONE
            ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(job.error())));
  }

  public boolean isServing() {
    return live.isServing();
  }

  /** Sets the search queue's bounds (the defaults allow 64 waiting searches per thread, each at most 5 s). */
  public void limitQueue(SearchAdmission bounds) {
    this.admission = bounds;
  }

  /** Document and passage counts of the live index, if one serves. */
  public Optional<int[]> stats() {
    return live.peek().map(g -> new int[] {g.documents(), g.passages()});
  }

  /** Runs read-only work on the live generation in the search pool; empty when no index serves yet. */
  public <T> Future<Optional<T>> onLiveIndex(Function<IndexGeneration, T> work) {
    SearchAdmission.Ticket place;
    try {
      place = admission.enter();
    } catch (SearchAdmission.Overloaded e) {
      return Future.failedFuture(e);
    }
    try {
      return searchPool.executeBlocking(() -> {
        place.start();
        return live.withGeneration(work);
      }, false);
    } catch (RuntimeException e) {
      place.abandon();
      return Future.failedFuture(e);
    }
  }

  /**
   * Starts a rebuild unless one is running, in which case the running job is returned.
   *
   * @param force accept a build that drops more than the allowed share of documents
   */
  public synchronized ReindexJob startReindex(boolean force) {
    announce();
    return startHere(force);
  }

  private synchronized ReindexJob startHere(boolean force) {
    ReindexJob current = running.get();
    if (current != null && current.state() == ReindexJob.State.RUNNING) {
      return current;
    }
    ReindexJob job = register(force);
    launch(job);
    return job;
  }

  /**
   * Starts a rebuild that reads the knowledge files as they are now, for a caller that has just changed one. A
   * running job may have read them before the change, so a new job waits behind it; callers arriving while it
   * waits share it.
   */
  public synchronized ReindexJob startReindexAfterChange() {
    announce();
    return startHereAfterChange();
  }

  /**
   * Rebuilds this node's index whenever another node sharing the database starts a rebuild (an admin's reindex, or
   * guidance published from the console into the shared knowledge directory): each node keeps its own index.
   */
  public Future<Void> followOtherNodes(ClusterSignals clusterSignals) {
    this.signals = clusterSignals;
    return clusterSignals.subscribe(REINDEX_TOPIC, origin -> {
      if (!origin.equals(node) && !closed) {
        LOG.info("Another node started a reindex; rebuilding this node's index from the knowledge files");
        startHereAfterChange();
      }
    });
  }

  private void announce() {
    ClusterSignals to = signals;
    if (to != null) {
      to.publish(REINDEX_TOPIC, node).onFailure(e -> LOG.warn("Could not tell the other nodes to reindex: {}",
          e.toString()));
    }
  }

  private synchronized ReindexJob startHereAfterChange() {
    ReindexJob current = running.get();
    if (current == null || current.state() != ReindexJob.State.RUNNING) {
      return startHere(false);
    }
    if (queued != null) {
      return queued;
    }
    ReindexJob next = register(false);
    next.phase("queued");
    queued = next;
    current.finished().onComplete(done -> {
      synchronized (this) {
        queued = null;
        launch(next);
      }
    });
    return next;
  }

  private ReindexJob register(boolean force) {
    ReindexJob job = new ReindexJob(UUID.randomUUID().toString(), force, clock.instant());
    jobs.put(job.id(), job);
    while (jobs.size() > KEPT_JOBS) {
      jobs.remove(jobs.keySet().iterator().next());
    }
    return job;
  }

  /** Where reindex durations are recorded. */
  public void useMetrics(cn.legalkoi.metrics.ServiceMetrics serviceMetrics) {
    this.metrics = serviceMetrics;
  }

  private void launch(ReindexJob job) {
    long started = System.nanoTime();
    running.set(job);
    buildPool.executeBlocking(() -> {
      rebuild(job, job.forced());
      return null;
    }, true).onComplete(done -> {
      if (done.failed()) {
        job.fail(describe(done.cause()), clock.instant());
        if (closed) {
          // stopped by the service's stop: the next start builds again from the knowledge files
          LOG.info("Reindex {} stopped with the service", job.id());
        } else {
          LOG.error("Reindex {} failed: {}", job.id(), describe(done.cause()));
        }
      }
      running.compareAndSet(job, null);
      metrics.reindex(job.state() == ReindexJob.State.DONE ? "done" : "failed",
          java.time.Duration.ofNanos(System.nanoTime() - started));
    });
  }

  public synchronized Optional<ReindexJob> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  private void rebuild(ReindexJob job, boolean force) throws IOException {
    KnowledgeSnapshot snapshot = loader.load();
    job.loaded(snapshot.documentCount(), snapshot.passageCount(), snapshot.problems(), snapshot.unresolvedCitations());
    snapshot.problems().forEach(p -> LOG.warn("{} {}: {}", p.skipped() ? "Skipped" : "Warning", p.path(), p.reason()));
    snapshot.unresolvedCitations().forEach(c -> LOG.warn("Unresolved citation {}", c));
    Optional<String> refusal = live.peek().flatMap(current -> dropRefusal(current, snapshot, force));
    if (refusal.isPresent()) {
      job.fail(refusal.get(), clock.instant());
      LOG.warn("Reindex {} refused: {}", job.id(), refusal.get());
      return;
    }
    if (semantic.isEmpty()) {
      publish(snapshot, null, job);
    } else {
      if (!live.isServing()) {
        job.phase("indexing without vectors"); // owners get lexical answers while the vectors are computed
        publish(snapshot, null, job);
      }
      job.phase("embedding");
      PassageVectors vectors;
      try {
        vectors = PassageVectors.compute(snapshot, semantic.get().embedder(), semantic.get().cache(),
            embedded -> embeddingProgress(job, embedded));
      } catch (SQLException e) {
        throw new IOException("embedding cache: " + e.getMessage(), e);
      }
      job.embedded(vectors.cached(), vectors.embedded());
      job.phase("indexing");
      publish(snapshot, vectors, job);
    }
    job.succeed(clock.instant());
    LOG.info("Reindex {} done: {} documents, {} passages, {} files skipped{}", job.id(), snapshot.documentCount(),
        snapshot.passageCount(), snapshot.problems().stream().filter(p -> p.skipped()).count(),
        semantic.isPresent() ? ", vectors ready" : "");
  }

  private void embeddingProgress(ReindexJob job, int embedded) {
    int before = job.embeddedSoFar();
    job.embedding(embedded);
    int step = Math.max(1000, job.passages() / 20);
    if (embedded / step != before / step) {
      LOG.info("Reindex {}: {} passages embedded", job.id(), embedded);
    }
  }

  /** Writes, opens, publishes and swaps in one generation; a failure removes its files and leaves the live one. */
  private void publish(KnowledgeSnapshot snapshot, PassageVectors vectors, ReindexJob job) throws IOException {
    Path directory = store.newGenerationDirectory();
    IndexGeneration generation = null;
    try {
      indexer.build(snapshot, vectors, directory, job::progress);
      generation = IndexGeneration.open(directory);
      store.publish(directory);
      live.swap(generation);
    } catch (IOException | RuntimeException e) {
      if (generation != null) {
        generation.close();
      }
      store.discard(directory);
      throw e;
    }
  }

  /** off, building (the live index has no vectors yet) or ready. */
  public String semanticState() {
    if (semantic.isEmpty()) {
      return "off";
    }
    return live.peek().map(IndexGeneration::hasVectors).orElse(false) ? "ready" : "building";
  }

  private Optional<String> dropRefusal(IndexGeneration current, KnowledgeSnapshot next, boolean force) {
    if (force) {
      return Optional.empty();
    }
    double docDrop = share(current.documents(), next.documentCount());
    double passageDrop = share(current.passages(), next.passageCount());
    if (docDrop > maxDropShare || passageDrop > maxDropShare) {
      return Optional.of(String.format(java.util.Locale.ROOT,
          "the new index would have %d documents and %d passages instead of %d and %d (a drop of %.0f%%,"
              + " more than the allowed %.0f%%); the current index keeps serving. Fix the files or force the reindex.",
          next.documentCount(), next.passageCount(), current.documents(), current.passages(),
          100 * Math.max(docDrop, passageDrop), 100 * maxDropShare));
    }
    return Optional.empty();
  }

  private static double share(int before, int after) {
    return before <= 0 ? 0 : Math.max(0, before - after) / (double) before;
  }

  /** Picks up a generation published by another process (the {@code reindex} command). */
  public Future<Boolean> refreshFromStore() {
    ReindexJob current = running.get();
    if (current != null && current.state() == ReindexJob.State.RUNNING) {
      return Future.succeededFuture(false);
    }
    return buildPool.executeBlocking(() -> {
      Optional<Path> published = store.current();
      Optional<Path> serving = live.peek().map(IndexGeneration::directory);
      if (published.isEmpty() || published.equals(serving)) {
        return false;
      }
      live.swap(IndexGeneration.open(published.get()));
      LOG.info("Switched to index {} published by another process", published.get().getFileName());
      return true;
    }, true);
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    closed = true;
    live.close();
    searchPool.close();
    buildPool.close();
    semantic.ifPresent(s -> {
      try {
        s.close();
      } catch (Exception e) {
        LOG.warn("Closing the embedding model failed: {}", e.toString());
      }
    });
  }
}
