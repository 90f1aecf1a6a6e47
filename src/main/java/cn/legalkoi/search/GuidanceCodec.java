package cn.legalkoi.search;

import cn.legalkoi.knowledge.GuidanceDocument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores a guidance document inside its index generation, so pages and replies match what search saw. */
final class GuidanceCodec {
  private GuidanceCodec() {
  }

  static String encode(GuidanceDocument doc) {
    JsonObject sections = new JsonObject();
    doc.sections().forEach(sections::put);
    return new JsonObject()
        .put("id", doc.id())
        .put("title", doc.title())
        .put("category", doc.category())
        .put("questions", new JsonArray(doc.questions()))
        .put("basis", new JsonArray(doc.basis()))
        .put("effective", doc.effective().toString())
        .put("reviewed", doc.reviewed().toString())
        .put("sections", sections)
        .put("markdown", doc.markdown())
        .put("path", doc.path())
        .encode();
  }

  static GuidanceDocument decode(String json) {
    JsonObject o = new JsonObject(json);
    Map<String, String> sections = new LinkedHashMap<>();
    o.getJsonObject("sections").forEach(e -> sections.put(e.getKey(), String.valueOf(e.getValue())));
    return new GuidanceDocument(o.getString("id"), o.getString("title"), o.getString("category"),
        strings(o.getJsonArray("questions")), strings(o.getJsonArray("basis")),
        LocalDate.parse(o.getString("effective")), LocalDate.parse(o.getString("reviewed")),
        sections, o.getString("markdown"), o.getString("path"));
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }
}
