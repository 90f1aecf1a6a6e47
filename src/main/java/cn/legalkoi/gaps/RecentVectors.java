package cn.legalkoi.gaps;

import cn.legalkoi.semantic.Embedder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Question vectors kept in memory between views of the unmet needs, so a view embeds only questions asked since
 * the last. Kept out of the on-disk embedding cache on purpose: that file belongs to the reindex thread, and owners'
 * questions have no business outliving the conversation tables. Blocking: call from a worker.
 */
final class RecentVectors {
  private static final int KEPT = 4096;
  private static final int BATCH = 64;

  private final Embedder embedder;
  private final Map<String, float[]> known = Collections.synchronizedMap(new LinkedHashMap<>(KEPT, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
      return size() > KEPT;
    }
  });

  RecentVectors(Embedder embedder) {
    this.embedder = embedder;
  }

  List<float[]> of(List<String> texts) {
    List<String> missing = texts.stream().distinct().filter(t -> !known.containsKey(t)).toList();
    Map<String, float[]> fresh = new LinkedHashMap<>();
    for (int from = 0; from < missing.size(); from += BATCH) {
      List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
      List<float[]> vectors = embedder.embedAll(batch);
      for (int i = 0; i < batch.size(); i++) {
        fresh.put(batch.get(i), vectors.get(i));
      }
    }
    known.putAll(fresh);
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      float[] v = fresh.containsKey(text) ? fresh.get(text) : known.get(text);
      out.add(v != null ? v : embedder.embed(text)); // evicted meanwhile by another view
    }
    return out;
  }
}
