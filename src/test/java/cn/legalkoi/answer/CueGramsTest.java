package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CueGramsTest {
  private final CueGrams grams = new CueGrams(List.of("我要申请仲裁", "仲裁怎么申请", "你好呀"));

  @Test
  @DisplayName("only characters and pairs found in at least two examples become features")
  void onlySharedGrams() {
    // 申, 请, 申请, 仲, 裁, 仲裁: each in two examples; 我, 要, 怎, 么, 你, 好 and the other pairs in one
    assertEquals(6, grams.size());
    assertEquals(0, grams.of("你好呀").length);
    assertEquals(0, grams.of("").length);
  }

  @Test
  @DisplayName("a message's features are the indices of the known grams in it, each once and ascending")
  void indicesAscendingOnce() {
    int[] found = grams.of("仲裁仲裁，申请！");
    assertEquals(6, found.length);
    int[] sorted = found.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, found);
    assertEquals(3, grams.of("仲裁吧").length);
  }
}
