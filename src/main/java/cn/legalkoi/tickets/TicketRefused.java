package cn.legalkoi.tickets;

/** An action on a ticket that cannot be done, with the HTTP status and the message the console shows. */
final class TicketRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String error;

  TicketRefused(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  static TicketRefused notFound() {
    return new TicketRefused(404, "not_found", "没有这个工单");
  }

  static TicketRefused forbidden() {
    return new TicketRefused(403, "forbidden", "这个工单不在您所在的部门");
  }

  static TicketRefused conflict(String message) {
    return new TicketRefused(409, "conflict", message);
  }

  static TicketRefused bad(String message) {
    return new TicketRefused(400, "bad_request", message);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }
}
