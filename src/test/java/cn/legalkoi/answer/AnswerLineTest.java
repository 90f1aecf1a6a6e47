package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.search.SearchHit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the answer line ranks the guidance found and reads the first, on hand-made matches. */
class AnswerLineTest {
  private static final double[] LEGAL = {0, 0, 0, 1, 0};

  private static SearchHit hit(String docId, float score) {
    return new SearchHit(docId, SearchHit.GUIDANCE, docId, "", score, "", Float.NaN);
  }

  private static MatchFeatures match(Optional<String> askBest) {
    return new MatchFeatures(List.of(hit("overtime", 1.0f), hit("probation", 0.9f)), List.of(0.6, 0.3), 0.1,
        askBest);
  }

  @Test
  @DisplayName("guidance the nearest labelled questions were answered from overtakes a close search result")
  void votesRank() {
    IntentScores votes = new IntentScores(LEGAL, Map.of("probation", 0.8, "overtime", 0.1));
    AnswerLine.Reading bySearch = AnswerLine.read(match(Optional.empty()), votes, 0);
    AnswerLine.Reading byVotes = AnswerLine.read(match(Optional.empty()), votes, 1.0);
    assertEquals("overtime", bySearch.first().docId());
    assertEquals("probation", byVotes.first().docId());
    int searchFirst = AnswerLine.FEATURES.indexOf("searchFirst");
    assertEquals(1.0, bySearch.features()[searchFirst]);
    assertEquals(0.0, byVotes.features()[searchFirst]);
    assertEquals(0.3, byVotes.features()[AnswerLine.FEATURES.indexOf("coverage")], 1e-9,
        "the coverage read is the first-ranked guidance's own");
  }

  @Test
  @DisplayName("an ask that finds other guidance counts against the answer; one not searched does not")
  void askAgreement() {
    IntentScores none = new IntentScores(LEGAL);
    int ask = AnswerLine.FEATURES.indexOf("askAgrees");
    assertEquals(1.0, AnswerLine.read(match(Optional.empty()), none, 1).features()[ask]);
    assertEquals(1.0, AnswerLine.read(match(Optional.of("overtime")), none, 1).features()[ask]);
    assertEquals(0.0, AnswerLine.read(match(Optional.of("probation")), none, 1).features()[ask]);
  }

  @Test
  @DisplayName("the shipped semantic line answers less readily when the ask disagrees, and a line that never"
      + " answers never does")
  void lineDecides() {
    AnswerLine line = DecisionThresholds.defaults().answerLine();
    IntentScores none = new IntentScores(LEGAL);
    double agreeing = line.confidence(AnswerLine.read(match(Optional.empty()), none, line.voteWeight()).features());
    double disagreeing = line.confidence(AnswerLine.read(match(Optional.of("probation")), none, line.voteWeight())
        .features());
    assertTrue(disagreeing < agreeing, disagreeing + " vs " + agreeing);
    assertFalse(AnswerLine.never(1).answers(AnswerLine.read(match(Optional.empty()), none, 1).features()));
    assertThrows(IllegalArgumentException.class, () -> new AnswerLine(1, List.of(1.0), 0, 0.5));
  }
}
