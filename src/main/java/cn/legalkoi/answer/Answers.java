package cn.legalkoi.answer;

import cn.legalkoi.search.IndexService;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The answer API for every caller (the HTTP API, each chat channel): a reply as a {@link Future}, worked out on
 * the search workers against whichever index generation is live, so no caller handles index lifetimes.
 */
public final class Answers {
  /** No index can serve yet (the first build is still running). */
  public static final class NotReadyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotReadyException() {
      super("the knowledge index is not ready yet");
    }
  }

  private final IndexService index;
  private final AnswerService service;
  private final cn.legalkoi.metrics.ServiceMetrics metrics;

  public Answers(IndexService index, AnswerService service) {
    this(index, service, cn.legalkoi.metrics.ServiceMetrics.none());
  }

  /** @param metrics where each reply's kind is counted */
  public Answers(IndexService index, AnswerService service, cn.legalkoi.metrics.ServiceMetrics metrics) {
    this.index = index;
    this.service = service;
    this.metrics = metrics;
  }

  /** Fails with {@link NotReadyException} while no index can serve. */
  public Future<AskReply> ask(String question) {
    return index.onLiveIndex(g -> service.ask(g, question))
        .map(reply -> reply.orElseThrow(NotReadyException::new))
        .onSuccess(reply -> metrics.answer(reply.kind().wireName()));
  }

  /** The answer from one guidance document; empty when the live index no longer has it. */
  public Future<Optional<AskReply>> answerFrom(String docId) {
    return index.onLiveIndex(g -> service.answerFrom(g, docId))
        .map(reply -> reply.orElseThrow(NotReadyException::new));
  }

  /** The category of a guidance document in the live index ("执法与处罚" …); empty when it has none or is gone. */
  public Future<Optional<String>> categoryOf(String docId) {
    return index.onLiveIndex(g -> g.guidance(docId).map(doc -> doc.category()))
        .map(found -> found.flatMap(c -> c).filter(c -> !c.isBlank()));
  }

  public ReplyComposer composer() {
    return service.composer();
  }
}
