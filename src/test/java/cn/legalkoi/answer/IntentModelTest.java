package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The intent model by characters (the lexical mode's), trained on the shipped tune set as the service does. */
class IntentModelTest {
  static List<LabelledQuestion> tune;
  static IntentModel model;

  @BeforeAll
  static void train() throws Exception {
    tune = LabelledQuestion.tuneSet();
    model = IntentModel.byCharacters(tune);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "劳烦安排一位顾问老师跟我通个电话, PERSON",
      "法院传票昨天到了，供应商告我们欠他八十万货款，下周就开庭, COMPLEX_CASE",
      "周末带娃去哪里玩比较好, CHATTER",
      "试用期最长能约定多久, LEGAL",
      "离婚的时候房子怎么分, OUTSIDE"})
  @DisplayName("messages written for this test, not in the tune set, are routed by their meaning")
  void routesUnseenMessages(String message, Intent expected) {
    assertEquals(expected, DecisionThresholds.lexicalDefaults().intent().route(model.classify(message)),
        () -> message + ": " + model.classify(message));
  }

  @Test
  @DisplayName("pasted markup does not outvote the owner's words: a request for a person with HTML after it is still"
      + " one")
  void markupIsNotWords() {
    String words = "我要找人工，第一次被罚款能分期吗";
    String html = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>";
    IntentThresholds t = DecisionThresholds.lexicalDefaults().intent();
    assertEquals(Intent.PERSON, t.route(model.classify(words + html)), () -> model.classify(words + html).toString());
    assertArrayEquals(model.classify(words).probabilities(),
        model.classify("<p><b>" + words + "</b></p>").probabilities(), "tags alone change nothing");
  }

  @Test
  @DisplayName("the same examples always give the same model")
  void trainingIsDeterministic() {
    IntentModel again = IntentModel.byCharacters(tune);
    String message = "我们厂被罚了二十万，能不能找人帮忙看看";
    assertArrayEquals(model.classify(message).probabilities(), again.classify(message).probabilities());
  }

  @Test
  @DisplayName("cross-validated scores exist for every example and are not the model's own fit")
  void crossValidatedScores() {
    List<IntentScores> cv = model.crossValidated();
    assertEquals(tune.size(), cv.size());
    double inSample = 0;
    double outOfSample = 0;
    for (int i = 0; i < tune.size(); i++) {
      inSample += model.classify(tune.get(i).question()).of(tune.get(i).intent());
      outOfSample += cv.get(i).of(tune.get(i).intent());
    }
    // an example the model has seen is its own nearest neighbour; unseen, it is not
    assertEquals(true, outOfSample < inSample, "out of sample " + outOfSample + ", in sample " + inSample);
  }

  @Test
  @DisplayName("the nearest labelled legal questions vote for their guidance and say how close they are; a"
      + " cross-validated reading never hears its own row's fold")
  void guidanceVotes() {
    List<IntentScores> cv = model.crossValidated();
    int ownTopVote = 0;
    int legal = 0;
    double seenTotal = 0;
    double heldOutTotal = 0;
    double nearestHeldOut = 0;
    for (int i = 0; i < tune.size(); i++) {
      LabelledQuestion row = tune.get(i);
      if (!row.expectsGuidance()) {
        assertEquals(true, cv.get(i).guidanceVotes().values().stream().mapToDouble(Double::doubleValue).sum() <= 1.0001);
        continue;
      }
      legal++;
      IntentScores seen = model.classify(row.question());
      String top = seen.guidanceVotes().entrySet().stream().max(java.util.Map.Entry.comparingByValue())
          .orElseThrow().getKey();
      ownTopVote += top.equals(row.docId()) ? 1 : 0;
      seenTotal += seen.voteFor(row.docId());
      heldOutTotal += cv.get(i).voteFor(row.docId());
      // seen, the question is its own nearest labelled question, as close as it can be in every representation
      assertEquals(1.0, seen.nearestFor(row.docId()), 1e-3, row.question());
      nearestHeldOut += cv.get(i).nearestFor(row.docId());
    }
    // held out, its nearest labelled question for the same guidance is another one, further away
    assertEquals(true, nearestHeldOut < legal * 0.95, "held out nearest " + nearestHeldOut + " over " + legal);
    // a labelled question is its own nearest neighbour when the model has seen it
    assertEquals(true, ownTopVote > legal * 0.95, ownTopVote + " of " + legal);
    // held out, a question cannot vote for itself, nor can the rest of its fold
    assertEquals(true, heldOutTotal < seenTotal * 0.9, "held out " + heldOutTotal + ", seen " + seenTotal);
    assertEquals(0.0, model.classify("周末带娃去哪里玩比较好").voteFor("no-such-guidance"));
    assertEquals(0.0, model.classify("周末带娃去哪里玩比较好").nearestFor("no-such-guidance"));
  }

  @Test
  @DisplayName("thresholds route in order: hand over, chat, out of scope, search; else the likelier of chat and no answer")
  void thresholdsRouteInOrder() {
    IntentThresholds t = new IntentThresholds(0.5, 0.5, 0.5, 0.3);
    assertEquals(Intent.COMPLEX_CASE, t.route(scores(0.2, 0.35, 0.1, 0.3, 0.05)));
    assertEquals(Intent.PERSON, t.route(scores(0.3, 0.2, 0.5, 0, 0)));
    assertEquals(Intent.CHATTER, t.route(scores(0.1, 0.1, 0.6, 0.1, 0.1)));
    assertEquals(Intent.LEGAL, t.route(scores(0.1, 0.1, 0.2, 0.35, 0.25)));
    assertEquals(Intent.OUTSIDE, t.route(scores(0.1, 0.1, 0.2, 0.25, 0.35)));
    assertEquals(Intent.CHATTER, t.route(scores(0.1, 0.1, 0.4, 0.25, 0.15)));
  }

  private static IntentScores scores(double person, double complex, double chatter, double legal, double outside) {
    return new IntentScores(new double[] {person, complex, chatter, legal, outside});
  }
}
