package cn.legalkoi.answer;

import cn.legalkoi.knowledge.ArticleKey;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.search.IndexGeneration;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.QueryText;
import cn.legalkoi.search.SearchHit;
import cn.legalkoi.search.Snippets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Decides how to reply to one message: the conversation's own commands first, then what the message is by its
 * meaning (hand over to an adviser, chat, a legal question outside the guidance, or one to search for), and for a
 * legal question whether to answer from guidance, ask which topic was meant, or say honestly that there is no
 * answer. Blocking (it searches and may embed): call it from a worker.
 */
public final class AnswerService {
  private static final int CANDIDATES = 5;
  private static final Pattern THANKS = Pattern.compile("谢|辛苦|感谢");
  private static final Pattern HEAVY_SUBJECT = Pattern.compile("起诉|诉讼|官司|法院|刑事|犯罪|坐牢|判刑|冻结|查封|强制执行|仲裁");

  private final KnowledgeSearcher searcher;
  private final ReplyComposer composer;
  private final IntentModel intents;
  private final DecisionThresholds thresholds;

  public AnswerService(KnowledgeSearcher searcher, ReplyComposer composer, IntentModel intents,
      DecisionThresholds thresholds) {
    this.searcher = searcher;
    this.composer = composer;
    this.intents = intents;
    this.thresholds = thresholds;
  }

  public AnswerService withThresholds(DecisionThresholds other) {
    return new AnswerService(searcher, composer, intents, other);
  }

  public IntentModel intents() {
    return intents;
  }

  public ReplyComposer composer() {
    return composer;
  }

  public DecisionThresholds thresholds() {
    return thresholds;
  }

  public AskReply ask(IndexGeneration generation, String question) {
    return ask(generation, question, () -> intents.classify(question));
  }

  /**
   * The reply with the intent probabilities from elsewhere: evaluation passes cross-validated ones, from a
   * model that did not learn from the message.
   */
  public AskReply ask(IndexGeneration generation, String question, Supplier<IntentScores> scores) {
    Optional<Commands.Read> command = Commands.read(question);
    if (command.isPresent()) {
      return commandReply(command.get().command());
    }
    IntentScores intent = scores.get();
    Intent route = thresholds.intent().route(intent);
    switch (route) {
      case PERSON:
      case COMPLEX_CASE:
        MatchFeatures features = coverageFeatures(generation, question);
        List<String> related = !features.isEmpty() && features.coverage() >= thresholds.clarifyCoverage()
            ? List.of(features.candidates().get(0).docId()) : List.of();
        return escalation(route == Intent.PERSON, related);
      case CHATTER:
        return reply(AskReply.Kind.SMALLTALK, composer.smalltalk(THANKS.matcher(question).find()), List.of(),
            List.of());
      case OUTSIDE:
        return reply(AskReply.Kind.NO_ANSWER, composer.noAnswer(), List.of(), List.of());
      default:
        return decide(generation, question, intent);
    }
  }

  /** The answer from one guidance document: what an owner gets by picking it from a numbered prompt. */
  public Optional<AskReply> answerFrom(IndexGeneration generation, String docId) {
    return generation.guidance(docId).map(doc -> reply(AskReply.Kind.ANSWER, composer.answer(doc, false),
        answerDocIds(generation, doc), doc.basis()));
  }

  /**
   * The stateless reply to a command. In a conversation a number picks from the last numbered prompt and a
   * rating is recorded against the last answer; here there is neither, so they are acknowledged.
   */
  private AskReply commandReply(Commands.Command command) {
    switch (command) {
      case PERSON:
        return escalation(true, List.of());
      case SATISFIED:
      case UNSATISFIED:
        return reply(AskReply.Kind.SMALLTALK, composer.thanksForRating(), List.of(), List.of());
      default:
        return reply(AskReply.Kind.SMALLTALK, composer.help(), List.of(), List.of());
    }
  }

  /**
   * The decision for a message the intent model routed to the guidance. Whether the ask agrees matters only to an
   * answer, so its own search runs only when the message would otherwise be answered: the same decision as with
   * {@link #features}, without a second search (and, with semantic retrieval, a second embedding) for the rest.
   */
  private AskReply decide(IndexGeneration generation, String question, IntentScores intent) {
    DecisionThresholds t = thresholdsFor(generation);
    MatchFeatures features = coverageFeatures(generation, question);
    DecisionRule.Decision decision = DecisionRule.decide(features, intent, t);
    if (decision.kind() == AskReply.Kind.ANSWER && features.askBest().isEmpty()) {
      decision = DecisionRule.decide(features.withAskBest(askBest(generation, question)), intent, t);
    }
    List<GuidanceDocument> docs = decision.docIds().stream()
        .map(generation::guidance).flatMap(Optional::stream).toList();
    if (decision.kind() == AskReply.Kind.ANSWER && !docs.isEmpty()) {
      GuidanceDocument doc = docs.get(0);
      return reply(AskReply.Kind.ANSWER, composer.answer(doc, HEAVY_SUBJECT.matcher(question).find()),
          answerDocIds(generation, doc), doc.basis());
    }
    if (decision.kind() == AskReply.Kind.CLARIFY && docs.size() >= 2) {
      return reply(AskReply.Kind.CLARIFY, composer.clarify(docs), docs.stream().map(GuidanceDocument::id).toList(),
          List.of());
    }
    return reply(AskReply.Kind.NO_ANSWER, composer.noAnswer(), List.of(), List.of());
  }

  /**
   * The answer line for a message searched in this generation: the one fitted for lexical search while a service
   * with semantic retrieval serves its first index before the vectors are computed (the semantic line reads a
   * similarity that is not there yet, and would answer nothing), the configured one otherwise. Where the intent
   * model routes a message does not depend on the index and stays as configured.
   */
  private DecisionThresholds thresholdsFor(IndexGeneration generation) {
    return searcher.embedder().isPresent() && !generation.hasVectors()
        ? DecisionThresholds.lexicalDefaults().withIntent(thresholds.intent()) : thresholds;
  }

  /** Everything the answer line reads, the ask's own best guidance included. */
  public MatchFeatures features(IndexGeneration generation, String question) {
    MatchFeatures features = coverageFeatures(generation, question);
    return features.askBest().isPresent() || features.isEmpty() ? features
        : features.withAskBest(askBest(generation, question));
  }

  /**
   * What the answer line reads, with the ask's best guidance known only when the message is its own ask (see
   * {@link #askBest}).
   */
  private MatchFeatures coverageFeatures(IndexGeneration generation, String question) {
    QueryText text = searcher.read(question);
    List<SearchHit> hits = searcher.searchWithoutSnippets(generation, text, CANDIDATES, SearchHit.GUIDANCE);
    if (hits.isEmpty()) {
      return new MatchFeatures(hits, List.of(), 1, Optional.empty());
    }
    Set<String> asked = Snippets.bigramsOf(text.content());
    String askText = TheAsk.of(question);
    boolean ownAsk = askText.equals(question.strip());
    Set<String> ask = ownAsk ? asked : Snippets.bigramsOf(searcher.read(askText).content());
    List<Double> coverages = hits.stream().map(h -> coverage(generation, asked, ask, h.docId())).toList();
    return new MatchFeatures(hits, coverages, share(generation, asked, generation::isUnknownToGuidance, 1),
        ownAsk ? Optional.of(hits.get(0).docId()) : Optional.empty());
  }

  /** The guidance the message's ask ({@link TheAsk}), searched alone, finds best; empty when it finds none. */
  private Optional<String> askBest(IndexGeneration generation, String question) {
    List<SearchHit> askHits = searcher.searchWithoutSnippets(generation, searcher.read(TheAsk.of(question)), 1,
        SearchHit.GUIDANCE);
    return askHits.stream().findFirst().map(SearchHit::docId);
  }

  /** How well a guidance covers the message, or its ask when that is covered better. */
  private static double coverage(IndexGeneration generation, Set<String> asked, Set<String> ask, String docId) {
    Set<String> core = generation.guidanceCoreBigrams(docId);
    return Math.max(share(generation, asked, core::contains, 0), share(generation, ask, core::contains, 0));
  }

  /**
   * The rarity-weighted share of the question's bigrams that pass {@code test}: found in a document's core
   * text (coverage), or found in no guidance at all (unknown share).
   */
  private static double share(IndexGeneration generation, Set<String> asked, Predicate<String> test,
      double whenEmpty) {
    double total = 0;
    double passing = 0;
    for (String gram : asked) {
      double weight = generation.guidanceBigramWeight(gram);
      total += weight;
      passing += test.test(gram) ? weight : 0;
    }
    return total == 0 ? whenEmpty : passing / total;
  }

  /** The guidance first, then the statute articles it cites that the index holds. */
  private static List<String> answerDocIds(IndexGeneration generation, GuidanceDocument doc) {
    List<String> ids = new ArrayList<>();
    ids.add(doc.id());
    for (String citation : doc.basis()) {
      ArticleKey.fromCitation(citation)
          .filter(key -> generation.hasArticle(key.docId()))
          .ifPresent(key -> ids.add(key.docId()));
    }
    return List.copyOf(ids);
  }

  private AskReply escalation(boolean askedForPerson, List<String> related) {
    return new AskReply(AskReply.Kind.ESCALATE, ReplyText.plain(composer.escalate(askedForPerson)), List.copyOf(related),
        List.of(), askedForPerson ? AskReply.ASKED_FOR_PERSON : AskReply.COMPLEX_CASE);
  }

  private static AskReply reply(AskReply.Kind kind, String text, List<String> docIds, List<String> citations) {
    return reply(kind, ReplyText.plain(text), docIds, citations);
  }

  private static AskReply reply(AskReply.Kind kind, ReplyText text, List<String> docIds, List<String> citations) {
    return new AskReply(kind, text, List.copyOf(docIds), List.copyOf(citations));
  }
}
