package cn.legalkoi.search;

import java.util.HashSet;
import java.util.Set;

/** Picks the sentence of a passage that shares the most bigrams with the question. */
public final class Snippets {
  static final int MAX_LENGTH = 120;

  private Snippets() {
  }

  public static Set<String> bigramsOf(String text) {
    Set<String> grams = new HashSet<>();
    for (int i = 0; i + 1 < text.length(); i++) {
      char a = text.charAt(i);
      char b = text.charAt(i + 1);
      if (!Character.isWhitespace(a) && !Character.isWhitespace(b) && Character.isLetterOrDigit(a)
          && Character.isLetterOrDigit(b)) {
        grams.add(text.substring(i, i + 2));
      }
    }
    return grams;
  }

  public static String best(String passage, Set<String> queryGrams) {
    if (passage == null || passage.isEmpty()) {
      return "";
    }
    String best = null;
    int bestScore = -1;
    for (String sentence : passage.split("(?<=[。；;！？!?\\n])")) {
      String s = sentence.strip();
      if (s.isEmpty()) {
        continue;
      }
      int score = 0;
      for (String gram : bigramsOf(s)) {
        if (queryGrams.contains(gram)) {
          score++;
        }
      }
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return truncate(best == null ? passage : best, MAX_LENGTH);
  }

  public static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
