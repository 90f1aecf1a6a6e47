package cn.legalkoi.proposals;

import cn.legalkoi.knowledge.GuidanceParser;
import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.ReindexJob;
import cn.legalkoi.store.Store;
import cn.legalkoi.tickets.TicketHistory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's review of proposed guidance. Publishing writes the file and settles the proposal in one transaction
 * on the database worker (a file whose record cannot be committed is taken back), then rebuilds the index; the
 * ticket's history and the audit log say who published or rejected what.
 */
final class ProposalDesk {
  private static final Logger LOG = LoggerFactory.getLogger(ProposalDesk.class);

  /** A published proposal: the new document, its file, and the reindex that makes it searchable. */
  record Published(String docId, String path, String jobId) {
  }

  private final Store store;
  private final IndexService index;
  private final GuidanceWriter writer;
  private final GuidanceParser parser = new GuidanceParser();
  private final Clock clock;
  private final ZoneId zone;

  ProposalDesk(Store store, IndexService index, GuidanceWriter writer, Clock clock, ZoneId zone) {
    this.store = store;
    this.index = index;
    this.writer = writer;
    this.clock = clock;
    this.zone = zone;
  }

  ZoneId zone() {
    return zone;
  }

  Future<List<Proposal>> list(String state) {
    return store.run(c -> ProposalStore.list(c, state));
  }

  Future<Published> publish(String admin, long id, PublishRequest request) {
    return index.onLiveIndex(g -> g.guidance(request.docId()).isPresent())
        .compose(inIndex -> {
          if (inIndex.orElse(false)) {
            throw ProposalRefused.conflict("docId " + request.docId() + " 已被现有指引使用");
          }
          return store.run(c -> inTransaction(c, () -> publishIn(c, admin, id, request)));
        })
        .map(written -> {
          ReindexJob job = index.startReindexAfterChange();
          LOG.info("Proposal {} published as {} by {}; reindex {}", id, request.docId(), admin, job.id());
          return new Published(request.docId(), writer.display(written), job.id());
        });
  }

  private Path publishIn(Connection c, String admin, long id, PublishRequest request) throws SQLException,
      IOException {
    Proposal proposal = pending(c, id);
    Path taken = writer.existing(request.docId()).orElse(null);
    if (taken != null) {
      throw ProposalRefused.conflict("docId " + request.docId() + " 已被 " + writer.display(taken) + " 使用");
    }
    long now = clock.millis();
    Path target = writer.target(request.docId());
    String text = GuidanceFile.render(request, proposal, admin, LocalDate.now(clock.withZone(zone)));
    try {
      parser.parse(text, target.toString(), request.docId());
    } catch (GuidanceParser.InvalidGuidanceException e) {
      throw ProposalRefused.bad("生成的指引文件未通过校验：" + e.getMessage());
    }
    ProposalStore.settle(c, id, Proposal.PUBLISHED, request.docId(), admin, now);
    TicketHistory.record(c, proposal.ticketId(), now, admin, "guidance_published", new JsonObject()
        .put("proposal", id).put("docId", request.docId()).put("path", writer.display(target)));
    try {
      return writer.write(request.docId(), text);
    } catch (FileAlreadyExistsException e) {
      throw ProposalRefused.conflict("docId " + request.docId() + " 的文件已存在");
    }
  }

  Future<Proposal> reject(String admin, long id, String reason) {
    return store.run(c -> inTransaction(c, () -> {
      Proposal proposal = pending(c, id);
      long now = clock.millis();
      ProposalStore.settle(c, id, Proposal.REJECTED, null, admin, now);
      TicketHistory.record(c, proposal.ticketId(), now, admin, "guidance_rejected",
          new JsonObject().put("proposal", id).put("reason", reason));
      return null;
    })).compose(done -> store.run(c -> ProposalStore.find(c, id).orElseThrow()));
  }

  private static Proposal pending(Connection c, long id) throws SQLException {
    Proposal proposal = ProposalStore.find(c, id).orElseThrow(ProposalRefused::notFound);
    if (!proposal.isPending()) {
      throw ProposalRefused.conflict(Proposal.PUBLISHED.equals(proposal.state())
          ? "这条建议已发布为 " + proposal.docId() : "这条建议已被驳回");
    }
    return proposal;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException, IOException;
  }

  /** Commits the work or rolls it back; a file the work wrote is removed when the commit fails. */
  private <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    T result = null;
    try {
      result = work.run();
      c.commit();
      return result;
    } catch (IOException e) {
      c.rollback();
      throw new UncheckedIOException(e);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      if (result instanceof Path written) {
        removeQuietly(written);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void removeQuietly(Path written) {
    try {
      writer.remove(written);
    } catch (IOException e) {
      LOG.error("Could not remove {} after its publish failed; remove it by hand", written, e);
    }
  }
}
