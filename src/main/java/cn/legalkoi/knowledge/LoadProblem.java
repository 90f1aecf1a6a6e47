package cn.legalkoi.knowledge;

/** One knowledge-base file that was skipped or loaded with a warning, and why. */
public record LoadProblem(String path, String reason, boolean skipped) {
  public static LoadProblem skipped(String path, String reason) {
    return new LoadProblem(path, reason, true);
  }

  public static LoadProblem warning(String path, String reason) {
    return new LoadProblem(path, reason, false);
  }
}
