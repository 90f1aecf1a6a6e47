package cn.legalkoi.knowledge;

import java.util.List;
import java.util.Set;

/**
 * Everything read from the knowledge-base directories at one moment.
 *
 * @param currentStatutes the files that hold the newest version of their law (an identity set: file names may
 *     not survive a non-UTF-8 locale as strings); only these are searched by default
 * @param fingerprint a digest of every file read, so an index built from the same files can be reused
 */
public record KnowledgeSnapshot(
    List<GuidanceDocument> guidance,
    List<Statute> statutes,
    Set<Statute> currentStatutes,
    List<LoadProblem> problems,
    List<String> unresolvedCitations,
    String fingerprint) {

  public int documentCount() {
    return guidance.size() + statutes.size();
  }

  public int passageCount() {
    return guidance.size() + statutes.stream().mapToInt(s -> s.articles().size()).sum();
  }

  public boolean isCurrent(Statute statute) {
    return currentStatutes.contains(statute);
  }
}
