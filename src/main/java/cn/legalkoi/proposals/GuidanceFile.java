package cn.legalkoi.proposals;

import cn.legalkoi.knowledge.GuidanceDocument;
import java.time.LocalDate;

/**
 * The Markdown text of a published proposal, in the layout of CONTRACT.md, with where it came from in the front
 * matter: the adviser who proposed it, the ticket, and the admin who published it. The loader ignores these keys.
 */
final class GuidanceFile {
  static final String DEFAULT_STEPS = "如需进一步帮助，请在对话中回复“人工”联系顾问。";

  private GuidanceFile() {
  }

  /** Every string is double-quoted: a title such as {@code 是: 否} or {@code "---"} stays a plain title. */
  static String render(PublishRequest r, Proposal proposal, String publishedBy, LocalDate reviewed) {
    StringBuilder md = new StringBuilder("---\n");
    md.append("id: ").append(r.docId()).append('\n');
    md.append("title: ").append(quote(r.title())).append('\n');
    md.append("category: ").append(quote(r.category())).append('\n');
    md.append("questions:\n");
    r.questions().forEach(q -> md.append("  - ").append(quote(q)).append('\n'));
    md.append("basis:\n");
    r.basis().forEach(b -> md.append("  - ").append(quote(b)).append('\n'));
    md.append("effective: ").append(r.effective()).append('\n');
    md.append("reviewed: ").append(reviewed).append('\n');
    md.append("author: ").append(quote(proposal.author())).append('\n');
    md.append("ticket: ").append(proposal.ticketId()).append('\n');
    md.append("proposal: ").append(proposal.id()).append('\n');
    md.append("publishedBy: ").append(quote(publishedBy)).append('\n');
    md.append("---\n");
    section(md, GuidanceDocument.SHORT_ANSWER, r.answer());
    section(md, GuidanceDocument.DETAIL, r.detail());
    StringBuilder basis = new StringBuilder();
    r.basis().forEach(b -> basis.append("- ").append(b).append('\n'));
    section(md, GuidanceDocument.BASIS, basis.toString());
    section(md, GuidanceDocument.STEPS, r.steps() == null ? DEFAULT_STEPS : r.steps());
    return md.toString();
  }

  private static void section(StringBuilder md, String heading, String body) {
    md.append("## ").append(heading).append('\n').append(body.strip()).append("\n\n");
  }

  /** A YAML double-quoted scalar; the request has already refused line breaks and control characters. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
