package cn.legalkoi.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatuteQuestionTest {
  @Test
  @DisplayName("a row's relevant articles are split on |, and its part depends on its id alone")
  void readsRows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("q.tsv");
    Files.writeString(file, "qid\tquestion\trelevant\n7\t个体户欠债谁来还？\t民法典#56|个体工商户条例#2\n");
    List<StatuteQuestion> rows = StatuteQuestion.read(file);
    assertEquals(Set.of("民法典#56", "个体工商户条例#2"), rows.get(0).relevant());
    assertEquals(new StatuteQuestion("7", "另一个问题", Set.of()).part(), rows.get(0).part());
  }

  @Test
  @DisplayName("about a quarter of the questions are set aside as the check part")
  void checkPartIsAQuarter() {
    long check = IntStream.range(0, 2000).mapToObj(i -> new StatuteQuestion(Integer.toString(i), "", Set.of()))
        .filter(q -> StatuteQuestion.CHECK.equals(q.part())).count();
    assertTrue(check > 400 && check < 600, "check part of 2000: " + check);
  }
}
