package cn.legalkoi.tickets;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an owner's file really is, from its first bytes, and whether advisers may have it: pictures (JPEG, PNG, GIF,
 * WebP, HEIC), documents (PDF, Word/Excel/PowerPoint old and new, plain text), voice (AMR, SILK, MP3, Ogg, WAV, M4A)
 * and video (MP4, MOV). Anything else — HTML, scripts, executables, plain archives — is refused, and so is a file
 * that is not what the platform or its name says: a "picture" whose bytes are HTML, a {@code 合同.pdf} that is an
 * executable. Pure; the head is the first {@link #HEAD_BYTES} bytes (or all of a shorter file).
 */
final class FileSniffer {
  static final int HEAD_BYTES = 4096;

  enum Family { IMAGE, DOCUMENT, AUDIO, VIDEO }

  /** A type on the allow-list: its content type, the extension a download gets, and its family. */
  record Detected(String contentType, String extension, Family family) {
  }

  /** Either the type the file was found to be, or why it is refused (for the adviser, in Chinese). */
  record Verdict(Optional<Detected> accepted, String refusal) {
    static Verdict accept(Detected d) {
      return new Verdict(Optional.of(d), null);
    }

    static Verdict refuse(String why) {
      return new Verdict(Optional.empty(), why);
    }
  }

  private static final Map<String, Family> BY_EXTENSION = Map.ofEntries(
      Map.entry("jpg", Family.IMAGE), Map.entry("jpeg", Family.IMAGE), Map.entry("png", Family.IMAGE),
      Map.entry("gif", Family.IMAGE), Map.entry("webp", Family.IMAGE), Map.entry("heic", Family.IMAGE),
      Map.entry("pdf", Family.DOCUMENT), Map.entry("doc", Family.DOCUMENT), Map.entry("docx", Family.DOCUMENT),
      Map.entry("xls", Family.DOCUMENT), Map.entry("xlsx", Family.DOCUMENT), Map.entry("ppt", Family.DOCUMENT),
      Map.entry("pptx", Family.DOCUMENT), Map.entry("txt", Family.DOCUMENT), Map.entry("csv", Family.DOCUMENT),
      Map.entry("amr", Family.AUDIO), Map.entry("silk", Family.AUDIO), Map.entry("mp3", Family.AUDIO),
      Map.entry("ogg", Family.AUDIO), Map.entry("opus", Family.AUDIO), Map.entry("wav", Family.AUDIO),
      Map.entry("m4a", Family.AUDIO), Map.entry("mp4", Family.VIDEO), Map.entry("mov", Family.VIDEO));

  /** The platform's message types and what they promise. */
  private static final Map<String, Family> BY_MESSAGE_TYPE = Map.of("image", Family.IMAGE, "picture", Family.IMAGE,
      "sticker", Family.IMAGE, "voice", Family.AUDIO, "audio", Family.AUDIO, "video", Family.VIDEO,
      "media", Family.VIDEO);

  private FileSniffer() {
  }

  /**
   * @param messageType the platform's message type ({@code image}, {@code voice}, {@code file} …)
   * @param name the name the owner or platform gave it, or null
   * @param platformType the Content-Type the platform served it with, or empty
   */
  static Verdict judge(byte[] head, String messageType, String name, String platformType) {
    Optional<Detected> found = detect(head, extensionOf(name));
    if (found.isEmpty()) {
      return Verdict.refuse(refusalFor(head));
    }
    Detected d = found.get();
    Family promised = BY_MESSAGE_TYPE.get(messageType);
    if (promised != null && promised != d.family()) {
      return Verdict.refuse("内容（" + d.contentType() + "）与消息类型 " + messageType + " 不符");
    }
    String extension = extensionOf(name);
    if (extension != null) {
      Family named = BY_EXTENSION.get(extension);
      if (named == null) {
        return Verdict.refuse("文件名的类型 ." + extension + " 不在允许范围内");
      }
      if (named != d.family()) {
        return Verdict.refuse("内容（" + d.contentType() + "）与文件名 ." + extension + " 不符");
      }
    }
    Family served = familyOfContentType(platformType);
    if (served != null && served != d.family()) {
      return Verdict.refuse("内容（" + d.contentType() + "）与平台声明的 " + platformType + " 不符");
    }
    return Verdict.accept(d);
  }

  /** The type on the allow-list the bytes are, if any; the name's extension tells Office formats apart. */
  static Optional<Detected> detect(byte[] b, String extension) {
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      return found("image/jpeg", "jpg", Family.IMAGE);
    }
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return found("image/png", "png", Family.IMAGE);
    }
    if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
      return found("image/gif", "gif", Family.IMAGE);
    }
    if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
      return found("image/webp", "webp", Family.IMAGE);
    }
    if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) {
      return found("audio/wav", "wav", Family.AUDIO);
    }
    if (ascii(b, 4, "ftyp")) {
      String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
      switch (brand) {
        case "heic", "heix", "mif1", "msf1":
          return found("image/heic", "heic", Family.IMAGE);
        case "M4A ":
          return found("audio/mp4", "m4a", Family.AUDIO);
        case "qt  ":
          return found("video/quicktime", "mov", Family.VIDEO);
        default:
          return found("video/mp4", "mp4", Family.VIDEO);
      }
    }
    if (ascii(b, 0, "%PDF-")) {
      return found("application/pdf", "pdf", Family.DOCUMENT);
    }
    if (startsWith(b, 0, 'P', 'K', 0x03, 0x04)) {
      return officeOpenXml(b, extension);
    }
    if (startsWith(b, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
      String ext = "xls".equals(extension) || "ppt".equals(extension) ? extension : "doc";
      return found(Map.of("doc", "application/msword", "xls", "application/vnd.ms-excel", "ppt",
          "application/vnd.ms-powerpoint").get(ext), ext, Family.DOCUMENT);
    }
    if (ascii(b, 0, "#!AMR")) {
      return found("audio/amr", "amr", Family.AUDIO);
    }
    if (ascii(b, 0, "#!SILK_V3") || (b.length > 0 && b[0] == 0x02 && ascii(b, 1, "#!SILK_V3"))) {
      return found("audio/silk", "silk", Family.AUDIO);
    }
    if (ascii(b, 0, "OggS")) {
      return found("audio/ogg", "ogg", Family.AUDIO);
    }
    if (ascii(b, 0, "ID3") || (b.length > 1 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
      return found("audio/mpeg", "mp3", Family.AUDIO);
    }
    if (isPlainText(b)) {
      return found("text/plain", "csv".equals(extension) ? "csv" : "txt", Family.DOCUMENT);
    }
    return Optional.empty();
  }

  /** A zip is accepted only as a Word, Excel or PowerPoint document: its first entries name the Office parts. */
  private static Optional<Detected> officeOpenXml(byte[] b, String extension) {
    String names = new String(b, StandardCharsets.ISO_8859_1);
    String ext = extension;
    if (!"docx".equals(ext) && !"xlsx".equals(ext) && !"pptx".equals(ext)) {
      ext = names.contains("word/") ? "docx" : names.contains("xl/") ? "xlsx" : names.contains("ppt/") ? "pptx"
          : null;
    }
    if (ext == null || !(names.contains("[Content_Types].xml") || names.contains("word/") || names.contains("xl/")
        || names.contains("ppt/") || names.contains("_rels/"))) {
      return Optional.empty();
    }
    return found(Map.of("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation").get(ext), ext,
        Family.DOCUMENT);
  }

  /**
   * Text without NUL or control bytes (UTF-8 or GB18030 alike), that is not markup or a script a browser or a shell
   * would run.
   */
  private static boolean isPlainText(byte[] b) {
    if (b.length == 0) {
      return false;
    }
    for (byte x : b) {
      int v = x & 0xFF;
      if (v < 0x20 && v != '\t' && v != '\n' && v != '\r' && v != '\f' || v == 0x7F) {
        return false;
      }
    }
    return !looksLikeMarkupOrScript(b);
  }

  private static boolean looksLikeMarkupOrScript(byte[] b) {
    String text = new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    String start = text.stripLeading();
    if (start.startsWith("\u00ef\u00bb\u00bf")) {
      start = start.substring(3).stripLeading();
    }
    return start.startsWith("<") || start.startsWith("#!") || text.contains("<html") || text.contains("<script")
        || text.contains("<!doctype") || text.contains("<svg") || text.contains("<iframe") || text.contains("<body");
  }

  private static String refusalFor(byte[] b) {
    if (startsWith(b, 0, 'M', 'Z') || startsWith(b, 0, 0x7F, 'E', 'L', 'F') || startsWith(b, 0, 0xCA, 0xFE, 0xBA, 0xBE)
        || startsWith(b, 0, 0xCF, 0xFA, 0xED, 0xFE) || startsWith(b, 0, 0xFE, 0xED, 0xFA, 0xCF)) {
      return "可执行程序，不接收";
    }
    if (startsWith(b, 0, 'P', 'K', 0x03, 0x04)) {
      return "压缩包，不接收（Word、Excel、PowerPoint 文档除外）";
    }
    if (b.length > 0 && looksLikeMarkupOrScript(b)) {
      return "网页或脚本，不接收";
    }
    return "无法识别的文件类型，不接收";
  }

  /** The extension a download of this accepted content type gets ({@code image/jpeg} → {@code jpg}), or null. */
  static String extensionFor(String contentType) {
    return contentType == null ? null : EXTENSIONS.get(contentType);
  }

  private static final Map<String, String> EXTENSIONS = Map.ofEntries(Map.entry("image/jpeg", "jpg"),
      Map.entry("image/png", "png"), Map.entry("image/gif", "gif"), Map.entry("image/webp", "webp"),
      Map.entry("image/heic", "heic"), Map.entry("audio/wav", "wav"), Map.entry("audio/mp4", "m4a"),
      Map.entry("video/quicktime", "mov"), Map.entry("video/mp4", "mp4"), Map.entry("application/pdf", "pdf"),
      Map.entry("application/msword", "doc"), Map.entry("application/vnd.ms-excel", "xls"),
      Map.entry("application/vnd.ms-powerpoint", "ppt"),
      Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
      Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
      Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
      Map.entry("audio/amr", "amr"), Map.entry("audio/silk", "silk"), Map.entry("audio/ogg", "ogg"),
      Map.entry("audio/mpeg", "mp3"), Map.entry("text/plain", "txt"));

  /** The lower-case extension of a name ({@code 合同.PDF} → {@code pdf}), or null when it has none. */
  static String extensionOf(String name) {
    if (name == null) {
      return null;
    }
    String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    int dot = base.lastIndexOf('.');
    return dot <= 0 || dot == base.length() - 1 ? null : base.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static Family familyOfContentType(String type) {
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT).strip();
    return t.startsWith("image/") ? Family.IMAGE : t.startsWith("audio/") ? Family.AUDIO
        : t.startsWith("video/") ? Family.VIDEO : null;
  }

  private static Optional<Detected> found(String type, String extension, Family family) {
    return Optional.of(new Detected(type, extension, family));
  }

  private static boolean startsWith(byte[] b, int at, int... expected) {
    if (b.length < at + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[at + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] b, int at, String expected) {
    return startsWith(b, at, expected.chars().toArray());
  }
}
