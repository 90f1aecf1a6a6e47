package cn.legalkoi.knowledge;

/**
 * Folds the invisible differences of real-world Chinese text: zero-width characters vanish,
 * every kind of space becomes an ASCII space, full-width ASCII becomes half-width.
 */
public final class TextNormalizer {
  private TextNormalizer() {
  }

  public static String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isZeroWidth(c)) {
        continue;
      }
      if (c == '\u3000' || c == '\u00A0' || (c >= '\u2000' && c <= '\u200A') || c == '\u202F'
          || c == '\u205F' || c == '\t') {
        out.append(' ');
      } else if (c >= '\uFF01' && c <= '\uFF5E' && !isKeptFullWidth(c)) {
        out.append((char) (c - 0xFEE0));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public static boolean isZeroWidth(char c) {
    return c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF';
  }

  /** Chinese punctuation that carries meaning in legal text stays as written. */
  private static boolean isKeptFullWidth(char c) {
    return c == '（' || c == '）' || c == '，' || c == '：' || c == '；' || c == '！' || c == '？';
  }
}
