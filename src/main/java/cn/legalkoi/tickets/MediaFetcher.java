package cn.legalkoi.tickets;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.FetchedMedia;
import cn.legalkoi.chat.MediaGone;
import cn.legalkoi.chat.MediaSource;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches owners' pending files from their platforms while the platforms still serve them: after each new file
 * (a kick) and on a timer. The bytes stream to a temporary file under {@code dataDir/files/} and stop at the size
 * limit (the Content-Length is checked first, then the bytes actually read); the file is judged by its first bytes,
 * and kept (moved atomically to its id) only when it is on the allow-list and what it claims to be. A failed
 * fetch is tried again later, less often each time; an id the platform calls invalid, or older than the platform
 * keeps media, is {@code expired}.
 */
final class MediaFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);
  /** Waits before the 1st, 2nd … retry; after the last, the file is {@code failed}. */
  private static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(2), Duration.ofSeconds(15),
      Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2));
  private static final int BATCH = 20;
  private static final String TEMP_PREFIX = ".part-";

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final Path directory;
  private final long maxBytes;
  private final Runnable onChange;
  private volatile Map<Channel, MediaSource> sources = Map.of();
  private boolean running;
  private boolean again;
  private long periodic = -1;
  private long wake = -1;
  private long wakeAt = Long.MAX_VALUE;

  /**
   * @param directory {@code dataDir/files}
   * @param onChange told after a file changed state, so consoles show it
   */
  MediaFetcher(Vertx vertx, Store store, Clock clock, Path directory, long maxBytes, Runnable onChange) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.onChange = onChange;
  }

  void useSources(Map<Channel, MediaSource> channelSources) {
    this.sources = Map.copyOf(channelSources);
  }

  /** Where a stored file lies: its stored path under the files directory. */
  Path pathOf(String storedPath) {
    return directory.resolve(storedPath);
  }

  /** Clears what an interrupted fetch left, then fetches on a timer and whenever kicked. */
  void start(Duration every) {
    FileSystem fs = vertx.fileSystem();
    fs.mkdirs(directory.toString())
        .compose(v -> fs.readDir(directory.toString(), "\\" + TEMP_PREFIX + ".*"))
        .compose(left -> Future.join(left.stream().map(fs::delete).toList()))
        .onComplete(r -> kick());
    periodic = vertx.setPeriodic(every.toMillis(), t -> kick());
  }

  void stop() {
    if (periodic >= 0) {
      vertx.cancelTimer(periodic);
    }
    synchronized (this) {
      if (wake >= 0) {
        vertx.cancelTimer(wake);
      }
      wakeAt = Long.MAX_VALUE;
    }
  }

  /** Fetches what is due now; a kick during a round runs another after it. */
  void kick() {
    synchronized (this) {
      if (running) {
        again = true;
        return;
      }
      running = true;
      again = false;
    }
    round().onComplete(r -> {
      if (r.failed()) {
        LOG.warn("Fetching owners' files stopped for now: {}", r.cause().toString());
      }
      boolean more;
      synchronized (this) {
        more = again || r.succeeded() && r.result() >= BATCH;
        running = false;
      }
      if (more) {
        kick();
      } else {
        store.run(TicketFiles::nextDue).onSuccess(next -> next.ifPresent(this::wakeAt));
      }
    });
  }

  /** Sets a timer for the next retry, unless one is set sooner. */
  private synchronized void wakeAt(long at) {
    if (at >= wakeAt) {
      return;
    }
    if (wake >= 0) {
      vertx.cancelTimer(wake);
    }
    wakeAt = at;
    wake = vertx.setTimer(Math.max(1, at - clock.millis()), t -> {
      synchronized (this) {
        wake = -1;
        wakeAt = Long.MAX_VALUE;
      }
      kick();
    });
  }

  private Future<Integer> round() {
    return store.run(c -> TicketFiles.due(c, clock.millis(), BATCH)).compose(due -> {
      Future<Void> chain = Future.succeededFuture();
      for (TicketFiles.TicketFile file : due) {
        chain = chain.compose(v -> fetch(file).recover(e -> {
          LOG.warn("File {} of ticket {}: {}", file.id(), file.ticketId(), e.toString());
          return Future.succeededFuture();
        }));
      }
      return chain.map(due.size());
    });
  }

  private Future<Void> fetch(TicketFiles.TicketFile file) {
    MediaSource source = sources.get(Channel.fromWireName(file.channel()));
    long now = clock.millis();
    if (source == null) {
      return end(file, TicketFiles.FAILED, "该渠道未开启，无法获取文件", null, -1);
    }
    Optional<Duration> lifetime = source.lifetime();
    if (lifetime.isPresent() && now - file.receivedAt() > lifetime.get().toMillis()) {
      return end(file, TicketFiles.EXPIRED, "平台只保留 " + lifetime.get().toDays() + " 天，已过期", null, -1);
    }
    return source.fetch(file.reference())
        .compose(media -> save(file, media))
        .recover(e -> e instanceof MediaGone
            ? end(file, TicketFiles.EXPIRED, "平台不再提供：" + e.getMessage(), null, -1)
            : retry(file, e));
  }

  private Future<Void> retry(TicketFiles.TicketFile file, Throwable cause) {
    String error = String.valueOf(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    if (file.attempts() >= BACKOFF.size()) {
      return end(file, TicketFiles.FAILED, error, null, -1);
    }
    long next = clock.millis() + BACKOFF.get(file.attempts()).toMillis();
    return store.run(c -> {
      TicketFiles.retryAt(c, file.id(), error, next);
      return null;
    }).<Void>mapEmpty().onSuccess(v -> wakeAt(next));
  }

  private Future<Void> end(TicketFiles.TicketFile file, String state, String error, String contentType, long size) {
    return store.run(c -> {
      TicketFiles.ended(c, file.id(), state, error, contentType, size, clock.millis());
      return null;
    }).<Void>mapEmpty().onSuccess(v -> onChange.run());
  }

  /** What streaming one file to disk found. */
  private record Copied(long size, String sha256, byte[] head, boolean tooLarge) {
  }

  private Future<Void> save(TicketFiles.TicketFile file, FetchedMedia media) {
    if (media.length() > maxBytes) {
      media.abort().run();
      return end(file, TicketFiles.TOO_LARGE, "超过 " + maxBytes + " 字节的上限", null, media.length());
    }
    FileSystem fs = vertx.fileSystem();
    String temp = directory.resolve(TEMP_PREFIX + file.id() + "-" + UUID.randomUUID()).toString();
    String storedPath = Long.toString(file.id());
    return fs.mkdirs(directory.toString())
        .compose(v -> fs.open(temp, new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(out -> copy(media, out).transform(copied -> out.close().transform(closed ->
            copied.failed() ? Future.<Copied>failedFuture(copied.cause())
                : closed.failed() ? Future.<Copied>failedFuture(closed.cause()) : Future.succeededFuture(copied.result()))))
        .compose(copied -> {
          if (copied.tooLarge()) {
            return fs.delete(temp).compose(v -> end(file, TicketFiles.TOO_LARGE, "超过 " + maxBytes + " 字节的上限",
                null, copied.size()));
          }
          String name = displayName(file.declaredName() != null ? file.declaredName() : media.fileName());
          FileSniffer.Verdict verdict = FileSniffer.judge(copied.head(), file.declaredType(), name,
              media.contentType());
          if (verdict.accepted().isEmpty()) {
            return fs.delete(temp).compose(v -> end(file, TicketFiles.REFUSED, verdict.refusal(), null,
                copied.size()));
          }
          String type = verdict.accepted().get().contentType();
          return fs.move(temp, directory.resolve(storedPath).toString(),
              new CopyOptions().setAtomicMove(true).setReplaceExisting(true))
              .compose(v -> store.run(c -> {
                TicketFiles.stored(c, file.id(), type, copied.size(), copied.sha256(), name, storedPath,
                    clock.millis());
                return null;
              })).<Void>mapEmpty().onSuccess(v -> onChange.run());
        })
        .recover(e -> fs.exists(temp).compose(left -> left ? fs.delete(temp) : Future.succeededFuture())
            .transform(cleaned -> Future.failedFuture(e)));
  }

  /** Streams the body into the file, stopping (and dropping the connection) once it passes the limit. */
  private Future<Copied> copy(FetchedMedia media, AsyncFile out) {
    Promise<Copied> done = Promise.promise();
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      return Future.failedFuture(e);
    }
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    long[] size = {0};
    out.exceptionHandler(done::tryFail);
    media.body().exceptionHandler(done::tryFail);
    media.body().handler(chunk -> {
      size[0] += chunk.length();
      if (size[0] > maxBytes) {
        media.body().handler(null);
        media.abort().run();
        done.tryComplete(new Copied(size[0], null, head.toByteArray(), true));
        return;
      }
      byte[] bytes = chunk.getBytes();
      sha.update(bytes);
      if (head.size() < FileSniffer.HEAD_BYTES) {
        head.write(bytes, 0, Math.min(bytes.length, FileSniffer.HEAD_BYTES - head.size()));
      }
      out.write(chunk).onFailure(done::tryFail);
      if (out.writeQueueFull()) {
        media.body().pause();
        out.drainHandler(v -> media.body().resume());
      }
    });
    media.body().endHandler(v -> done.tryComplete(new Copied(size[0], HexFormat.of().formatHex(sha.digest()),
        head.toByteArray(), false)));
    media.body().resume();
    return done.future().compose(copied -> copied.tooLarge() ? Future.succeededFuture(copied)
        : out.flush().map(copied));
  }

  /** A name fit to show and to offer in a download: no path, no control characters, not too long; or null. */
  static String displayName(String name) {
    if (name == null) {
      return null;
    }
    String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
        .replaceAll("[\\p{Cntrl}\"]", "").strip();
    if (base.isEmpty() || base.equals(".") || base.equals("..")) {
      return null;
    }
    return base.codePointCount(0, base.length()) <= 100 ? base
        : base.substring(0, base.offsetByCodePoints(0, 100));
  }
}
