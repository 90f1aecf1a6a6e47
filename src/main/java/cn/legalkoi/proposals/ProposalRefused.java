package cn.legalkoi.proposals;

/** A review action that cannot be done, with the HTTP status and the message the admin sees. */
final class ProposalRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String error;

  private ProposalRefused(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  static ProposalRefused bad(String message) {
    return new ProposalRefused(400, "bad_request", message);
  }

  static ProposalRefused notFound() {
    return new ProposalRefused(404, "not_found", "没有这条指引建议");
  }

  static ProposalRefused conflict(String message) {
    return new ProposalRefused(409, "conflict", message);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }
}
