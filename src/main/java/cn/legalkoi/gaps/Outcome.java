package cn.legalkoi.gaps;

/** How an owner's question went unmet: no answer, a question back (clarify), or an answer rated 不满意. */
enum Outcome {
  NO_ANSWER("no_answer"), CLARIFY("clarify"), UNSATISFIED("unsatisfied");

  private final String wireName;

  Outcome(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }
}
