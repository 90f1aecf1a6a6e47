package cn.legalkoi.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChineseNumeralsTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"一,1", "十,10", "十一,11", "二十,20", "三十三,33", "一百,100", "一百零五,105", "一百一十,110",
      "一百二十,120", "两百,200", "九百九十九,999", "一千,1000", "一千零一,1001", "一千二百六十,1260",
      "一千二百零六,1206", "一万,10000", "33,33", "〇,-1", "一二,-1", "abc,-1", "十十,-1"})
  @DisplayName("statute numerals parse to their values; anything else is -1")
  void parses(String text, int expected) {
    assertEquals(expected, ChineseNumerals.parse(text));
  }

  @Test
  @DisplayName("every article number from 1 to 2000 survives a round trip through its Chinese form")
  void roundTrips() {
    for (int n = 1; n <= 2000; n++) {
      assertEquals(n, ChineseNumerals.parse(ChineseNumerals.format(n)), "failed at " + n);
    }
    assertEquals("十", ChineseNumerals.format(10));
    assertEquals("一百零五", ChineseNumerals.format(105));
    assertEquals("一千二百六十", ChineseNumerals.format(1260));
  }
}
