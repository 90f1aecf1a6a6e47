package cn.legalkoi.search;

/**
 * One search result as the API shows it.
 *
 * @param docId guidance id, or statute article id such as 行政处罚法#33
 * @param kind {@link #GUIDANCE} or {@link #STATUTE}
 * @param similarity cosine similarity of the question and the passage, when semantic retrieval found it; NaN
 *     otherwise (not part of the API)
 */
public record SearchHit(String docId, String kind, String title, String citation, float score, String snippet,
    float similarity) {
  public static final String GUIDANCE = "guidance";
  public static final String STATUTE = "statute";

  public boolean isGuidance() {
    return GUIDANCE.equals(kind);
  }
}
