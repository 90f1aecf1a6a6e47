package cn.legalkoi.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What an owner's file is taken to be from its first bytes, and when it is refused. */
class FileSnifferAttachmentTest {
  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static String accepted(byte[] head, String messageType, String name, String served) {
    FileSniffer.Verdict v = FileSniffer.judge(head, messageType, name, served);
    return v.accepted().map(FileSniffer.Detected::contentType).orElse("refused: " + v.refusal());
  }

  @Test
  @DisplayName("pictures, documents and voice on the allow-list are recognised by their bytes")
  void allowList() {
    assertEquals("image/jpeg", accepted(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10), "image", null, "image/jpeg"));
    assertEquals("image/png", accepted(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A), "image", "a.jpg", ""));
    assertEquals("application/pdf", accepted("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), "file", "合同.PDF",
        "application/octet-stream"));
    assertEquals("audio/amr", accepted("#!AMR\n".getBytes(StandardCharsets.US_ASCII), "voice", null, "audio/amr"));
    assertEquals("application/vnd.openxmlformats-officedocument.wordprocessingml.document", accepted(
        "PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml".getBytes(StandardCharsets.ISO_8859_1), "file",
        "租赁合同.docx", ""));
    assertEquals("application/msword", accepted(bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1), "file",
        "旧合同.doc", ""));
    assertEquals("text/plain", accepted("对方一直拖欠货款\n".getBytes(StandardCharsets.UTF_8), "file", "说明.txt", ""));
    assertEquals("video/mp4", accepted(bytes(0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'), "video", null,
        "video/mp4"));
  }

  @Test
  @DisplayName("HTML, scripts, executables and plain archives are refused, and so is a file that is not what its"
      + " message type, name or served type claims")
  void refusals() {
    byte[] html = "<!DOCTYPE html><html><body>hi</body></html>".getBytes(StandardCharsets.US_ASCII);
    assertTrue(accepted(html, "image", "photo.jpg", "image/jpeg").startsWith("refused: 网页"));
    assertTrue(accepted(html, "file", null, "").startsWith("refused: 网页"));
    assertTrue(accepted("#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.US_ASCII), "file", null, "")
        .startsWith("refused"));
    assertTrue(accepted(bytes('M', 'Z', 0x90, 0), "file", "合同.pdf", "").startsWith("refused: 可执行"));
    assertTrue(accepted(bytes(0x7F, 'E', 'L', 'F', 2, 1), "file", null, "").startsWith("refused: 可执行"));
    assertTrue(accepted("PK\u0003\u0004\u0014\u0000payload.exe".getBytes(StandardCharsets.ISO_8859_1), "file",
        "资料.zip", "").startsWith("refused"));
    byte[] pdf = "%PDF-1.7".getBytes(StandardCharsets.US_ASCII);
    assertTrue(accepted(pdf, "image", null, "").contains("消息类型"), "a PDF sent as a picture");
    assertTrue(accepted(pdf, "file", "photo.jpg", "").contains("文件名"), "a PDF named .jpg");
    assertTrue(accepted(pdf, "file", "setup.exe", "").contains(".exe"), "a name of a type not accepted");
    assertTrue(accepted(pdf, "file", null, "image/png").contains("平台"), "served as a picture");
    assertTrue(accepted(new byte[0], "file", null, "").startsWith("refused"), "an empty file");
  }

  @Test
  @DisplayName("a name offered in a download keeps no path or control characters")
  void displayNames() {
    assertEquals("合同.pdf", MediaFetcher.displayName("../../etc/合同.pdf"));
    assertEquals("ab.txt", MediaFetcher.displayName("a\r\nb.txt"));
    assertEquals(null, MediaFetcher.displayName(".."));
  }
}
