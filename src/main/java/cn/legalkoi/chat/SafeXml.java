package cn.legalkoi.chat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the small flat XML documents WeCom posts ({@code <xml><ToUserName>…</ToUserName><Encrypt>…</Encrypt></xml>})
 * into a map from each child element of the root to its text.
 *
 * <p>The body comes from the internet before anything about it is trusted, so the parser refuses any DOCTYPE
 * (which rules out entity expansion, external entities and billion-laughs input at the first line), loads nothing
 * external, ignores XInclude, runs with secure processing and a nesting limit, and reads at most {@code maxBytes}.
 * Bytes are always read as UTF-8, whatever the platform default or the document's own declaration says.
 *
 * <p>Only the root's direct children are kept, each with its own text and CDATA (a child that holds further elements
 * maps to ""). A repeated child is refused: two {@code <Encrypt>} elements would make it unclear which one was signed.
 */
public final class SafeXml {
  /** Comfortably above any WeCom callback, which carries one encrypted message of at most a few KB. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;
  private static final int MAX_ELEMENT_DEPTH = 32;
  private static final String MAX_ELEMENT_DEPTH_PROPERTY = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

  /**
   * Building a parser costs more than parsing a callback, so each thread keeps one. A builder is not thread-safe
   * and is reset before every use; the security features are set on its factory and survive a reset.
   */
  private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(SafeXml::newBuilder);

  private final int maxBytes;

  public SafeXml(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
  }

  public Map<String, String> parseFlat(String xml) {
    return parseFlat(Digests.utf8(xml));
  }

  public Map<String, String> parseFlat(byte[] body) {
    if (body.length > maxBytes) {
      throw new XmlRejectedException("XML body of " + body.length + " bytes exceeds the limit of " + maxBytes);
    }
    Element root = parse(body).getDocumentElement();
    Map<String, String> fields = new LinkedHashMap<>();
    for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child.getNodeType() == Node.ELEMENT_NODE && fields.put(child.getNodeName(), ownText(child)) != null) {
        throw new XmlRejectedException("element <" + child.getNodeName() + "> appears more than once");
      }
    }
    return Collections.unmodifiableMap(fields);
  }

  private static Document parse(byte[] body) {
    InputSource source = new InputSource(new ByteArrayInputStream(body));
    source.setEncoding("UTF-8");
    try {
      return builder().parse(source);
    } catch (SAXException e) {
      throw new XmlRejectedException("malformed or disallowed XML: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new XmlRejectedException("unreadable XML: " + e.getMessage(), e);
    }
  }

  private static DocumentBuilder builder() {
    DocumentBuilder builder = BUILDERS.get();
    builder.reset();
    builder.setErrorHandler(RAISE_ERRORS); // reset() forgets it
    return builder;
  }

  private static DocumentBuilder newBuilder() {
    // The JDK's own implementation, whatever else is on the class path: the features below are Xerces names.
    DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
    try {
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setAttribute(MAX_ELEMENT_DEPTH_PROPERTY, MAX_ELEMENT_DEPTH);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      factory.setNamespaceAware(false);
      factory.setValidating(false);
      return factory.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
    }
  }

  private static String ownText(Node element) {
    StringBuilder text = new StringBuilder();
    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
      switch (child.getNodeType()) {
        case Node.ELEMENT_NODE:
          return "";
        case Node.TEXT_NODE:
        case Node.CDATA_SECTION_NODE:
          text.append(child.getNodeValue());
          break;
        default:
          break;
      }
    }
    return text.toString();
  }

  /** Fails on errors instead of printing "[Fatal Error]" to stderr, which is the JDK's default. */
  private static final ErrorHandler RAISE_ERRORS = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  };
}
