package cn.legalkoi.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeXmlTest {
  final SafeXml xml = new SafeXml(SafeXml.DEFAULT_MAX_BYTES);

  @Test
  @DisplayName("a WeCom callback body becomes a map of the root's children, CDATA unwrapped, in document order")
  void wecomCallbackBody() {
    String body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
        + "<Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEP==]]></Encrypt>\n"
        + "<AgentID><![CDATA[218]]></AgentID>\n</xml>";
    Map<String, String> fields = xml.parseFlat(body.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("ToUserName", "Encrypt", "AgentID"), List.copyOf(fields.keySet()));
    assertEquals("wx5823bf96d3bd56c7", fields.get("ToUserName"));
    assertEquals("RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEP==", fields.get("Encrypt"));
    assertEquals("218", fields.get("AgentID"));
  }

  @Test
  @DisplayName("Chinese text is read as UTF-8 whatever the JVM's default charset, with spaces and markup kept")
  void chineseText() {
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><Content><![CDATA[ 试用期<辞退>要赔偿吗？ ]]></Content>"
        + "<CreateTime>1409659813</CreateTime></xml>";
    Map<String, String> fields = xml.parseFlat(body.getBytes(StandardCharsets.UTF_8));
    assertEquals(" 试用期<辞退>要赔偿吗？ ", fields.get("Content"));
    assertEquals("1409659813", fields.get("CreateTime"));
    assertEquals(" 试用期<辞退>要赔偿吗？ ", xml.parseFlat(body).get("Content"));
  }

  @Test
  @DisplayName("a child holding further elements maps to an empty value")
  void nestedChild() {
    Map<String, String> fields = xml.parseFlat("<xml><SendPicsInfo><Count>1</Count></SendPicsInfo><A>b</A></xml>");
    assertEquals("", fields.get("SendPicsInfo"));
    assertEquals("b", fields.get("A"));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {
      "",
      "hello",
      "<xml><Encrypt>abc</xml>",
      "<xml><Encrypt><![CDATA[abc",
      "<xml><Encrypt>abc</Encrypt>",
      "<xml></xml><xml></xml>",
      "<xml><a>&undeclared;</a></xml>",
      "<xml><a>1</a><a>2</a></xml>"})
  @DisplayName("malformed, truncated or ambiguous XML is rejected")
  void malformed(String body) {
    assertThrows(XmlRejectedException.class, () -> xml.parseFlat(body));
  }

  @Test
  @DisplayName("a DOCTYPE is rejected, even a harmless one")
  void doctype() {
    assertThrows(XmlRejectedException.class, () -> xml.parseFlat("<!DOCTYPE xml><xml><a>1</a></xml>"));
    assertThrows(XmlRejectedException.class,
        () -> xml.parseFlat("<!DOCTYPE xml SYSTEM \"http://localhost:1/evil.dtd\"><xml><a>1</a></xml>"));
  }

  @Test
  @DisplayName("an external entity is rejected and no file content leaks into the result")
  void externalEntity() {
    String body = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<xml><Content>&xxe;</Content></xml>";
    assertThrows(XmlRejectedException.class, () -> xml.parseFlat(body));
    String parameterEntity = "<!DOCTYPE xml [<!ENTITY % remote SYSTEM \"http://localhost:1/x.dtd\"> %remote;]><xml/>";
    assertThrows(XmlRejectedException.class, () -> xml.parseFlat(parameterEntity));
  }

  @Test
  @DisplayName("billion-laughs input is rejected before any expansion")
  void billionLaughs() {
    StringBuilder body = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      body.append("<!ENTITY lol").append(i).append(" \"")
          .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    body.append("]><xml><Content>&lol9;</Content></xml>");
    assertThrows(XmlRejectedException.class, () -> xml.parseFlat(body.toString()));
  }

  @Test
  @DisplayName("XInclude is not processed")
  void xinclude() {
    Map<String, String> fields = xml.parseFlat("<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
        + "<Content><xi:include href=\"file:///etc/hostname\" parse=\"text\"/></Content><A>b</A></xml>");
    assertEquals("", fields.get("Content"));
    assertFalse(fields.values().stream().anyMatch(v -> v.contains("\n")));
  }

  @Test
  @DisplayName("a body over the size limit is rejected before it is parsed; one at the limit is read")
  void sizeLimit() {
    SafeXml small = new SafeXml(64);
    String atLimit = "<xml><a>" + "x".repeat(64 - 18) + "</a></xml>";
    assertEquals(64, atLimit.length());
    assertEquals(46, small.parseFlat(atLimit).get("a").length());
    assertThrows(XmlRejectedException.class, () -> small.parseFlat(atLimit.replace("<a>", "<a>x")));
    assertThrows(XmlRejectedException.class, () -> small.parseFlat("<xml><a>" + "中".repeat(20) + "</a></xml>"));
  }

  @Test
  @DisplayName("absurdly deep nesting is rejected")
  void deepNesting() {
    String deep = "<a>".repeat(200) + "</a>".repeat(200);
    assertThrows(XmlRejectedException.class, () -> xml.parseFlat(deep));
  }

  @Test
  @DisplayName("the parser a thread reuses keeps every protection after good and refused documents alike")
  void reusedParserStaysSafe() {
    String good = "<xml><a>1</a></xml>";
    String[] refused = {"<!DOCTYPE xml><xml><a>1</a></xml>",
        "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><a>&xxe;</a></xml>",
        "<a>".repeat(200) + "</a>".repeat(200), "<xml><a>1</a>", "<xml><a>1</a><a>2</a></xml>"};
    for (int round = 0; round < 3; round++) {
      for (String body : refused) {
        assertEquals("1", xml.parseFlat(good).get("a"));
        assertThrows(XmlRejectedException.class, () -> xml.parseFlat(body), body);
      }
    }
  }

  @Test
  @DisplayName("threads parsing at the same time each read their own document")
  void concurrentParses() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String value = "问题" + i;
        results.add(pool.submit(() -> value.equals(xml.parseFlat("<xml><Content><![CDATA[" + value
            + "]]></Content></xml>").get("Content"))));
      }
      for (java.util.concurrent.Future<Boolean> r : results) {
        assertTrue(r.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
