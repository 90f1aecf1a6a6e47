package cn.legalkoi.tickets;

import cn.legalkoi.search.SearchHit;
import cn.legalkoi.users.Departments;
import cn.legalkoi.users.Role;
import cn.legalkoi.users.User;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RequestBodies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The advisers' API: the queue, one ticket with its transcript and history, the actions on it, suggestions from
 * guidance and statutes, and a change feed for live consoles. Every route requires the adviser role (admins have it
 * too) and checks the ticket's department.
 */
final class TicketRoutes implements RouteModule {
  private static final int BODY = 16 * 1024;
  private static final int MAX_REPLY_CHARS = 4000;
  private static final int MAX_NOTE_CHARS = 500;
  private static final long CHANGES_WAIT_MS = 25_000;
  private static final Set<String> STATUSES = Set.of(Ticket.OPEN, Ticket.CLAIMED, Ticket.RESOLVED);

  /** Guidance and statute passages for a ticket's question. */
  @FunctionalInterface
  public interface Suggestions {
    Future<List<SearchHit>> find(String question, String kind, int limit);
  }

  private final Tickets tickets;
  private final Departments departments;
  private final TicketChanges changes;
  private final TicketJson json;
  private final Suggestions suggestions;
  private final DeadlinePolicy deadlines;
  private final Function<String, String> guidanceUrl;
  private final Function<String, java.nio.file.Path> storedFile;

  /** @param storedFile where a stored file lies on disk, from its stored path */
  TicketRoutes(Tickets tickets, Departments departments, TicketChanges changes, DeadlinePolicy deadlines,
      Suggestions suggestions, Function<String, String> guidanceUrl, Function<String, java.nio.file.Path> storedFile) {
    this.storedFile = storedFile;
    this.tickets = tickets;
    this.departments = departments;
    this.changes = changes;
    this.json = new TicketJson(deadlines.zone());
    this.suggestions = suggestions;
    this.deadlines = deadlines;
    this.guidanceUrl = guidanceUrl;
  }

  @Override
  public void mount(Router router, WebKit web) {
    var adviser = web.requireRole(Role.ADVISER);
    router.get("/api/v1/me").handler(adviser).handler(this::me);
    router.get("/api/v1/departments").handler(adviser).handler(this::departments);
    router.get("/api/v1/calendar/warnings").handler(adviser).handler(this::calendarWarnings);
    router.get("/api/v1/tickets").handler(adviser).handler(this::list);
    router.get("/api/v1/tickets/changes").handler(adviser).handler(this::changes);
    router.get("/api/v1/tickets/:id").handler(adviser).handler(this::get);
    router.get("/api/v1/tickets/:id/suggestions").handler(adviser).handler(this::suggestions);
    router.get("/api/v1/tickets/:id/files/:fileId").handler(adviser).handler(this::download);
    router.post("/api/v1/tickets/:id/claim").handler(adviser).handler(ctx -> respond(ctx,
        id -> tickets.claim(user(ctx), id)));
    router.post("/api/v1/tickets/:id/reopen").handler(adviser).handler(ctx -> respond(ctx,
        id -> tickets.reopen(user(ctx), id)));
    router.post("/api/v1/tickets/:id/assign").handler(web.bodyLimit(BODY)).handler(adviser).handler(this::assign);
    router.post("/api/v1/tickets/:id/transfer").handler(web.bodyLimit(BODY)).handler(adviser).handler(this::transfer);
    router.post("/api/v1/tickets/:id/replies").handler(web.bodyLimit(BODY)).handler(adviser).handler(this::reply);
    router.post("/api/v1/tickets/:id/phone-call").handler(web.bodyLimit(BODY)).handler(adviser)
        .handler(this::phoneCall);
    router.post("/api/v1/tickets/:id/complexity").handler(web.bodyLimit(BODY)).handler(adviser)
        .handler(this::complexity);
    router.post("/api/v1/tickets/:id/resolve").handler(web.bodyLimit(BODY)).handler(adviser).handler(this::resolve);
  }

  private void me(RoutingContext ctx) {
    User u = user(ctx);
    Replies.json(ctx, 200, new JsonObject().put("username", u.username()).put("role", u.role().wireName())
        .put("departments", new JsonArray(u.departments())));
  }

  private void departments(RoutingContext ctx) {
    departments.list().onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      JsonArray out = new JsonArray();
      r.result().forEach(d -> out.add(new JsonObject().put("name", d.name()).put("active", d.active())));
      Replies.json(ctx, 200, new JsonObject().put("departments", out));
    });
  }

  private void calendarWarnings(RoutingContext ctx) {
    Replies.json(ctx, 200, new JsonObject().put("warnings", new JsonArray(deadlines.warnings())));
  }

  private void list(RoutingContext ctx) {
    String status = ctx.request().getParam("status");
    if (status != null && !STATUSES.contains(status)) {
      Replies.badRequest(ctx, "status 只能是 open、claimed 或 resolved");
      return;
    }
    String department = ctx.request().getParam("department");
    tickets.list(user(ctx), status, department == null || department.isBlank() ? null : department)
        .onComplete(r -> {
          if (r.failed()) {
            fail(ctx, r.cause());
            return;
          }
          JsonArray out = new JsonArray();
          r.result().forEach(d -> out.add(json.summary(d)));
          Replies.json(ctx, 200, new JsonObject().put("tickets", out));
        });
  }

  private void changes(RoutingContext ctx) {
    long after;
    try {
      after = Long.parseLong(Optional.ofNullable(ctx.request().getParam("after")).orElse("0"));
    } catch (NumberFormatException e) {
      Replies.badRequest(ctx, "after 应为整数");
      return;
    }
    boolean wait = "true".equals(ctx.request().getParam("wait"));
    changes.next(after, wait ? CHANGES_WAIT_MS : 0).onComplete(r -> {
      if (!ctx.response().closed() && !ctx.response().ended()) {
        Replies.json(ctx, 200, new JsonObject().put("seq", r.result()));
      }
    });
  }

  private void get(RoutingContext ctx) {
    withId(ctx).ifPresent(id -> tickets.get(user(ctx), id).onComplete(r -> {
      if (r.failed()) {
        fail(ctx, r.cause());
      } else {
        Replies.json(ctx, 200, json.detail(r.result()));
      }
    }));
  }

  private void suggestions(RoutingContext ctx) {
    withId(ctx).ifPresent(id -> tickets.ticket(user(ctx), id)
        .compose(t -> Future.all(suggestions.find(t.question(), SearchHit.GUIDANCE, 3),
            suggestions.find(t.question(), SearchHit.STATUTE, 5)))
        .onComplete(r -> {
          if (r.failed()) {
            fail(ctx, r.cause());
            return;
          }
          JsonArray out = new JsonArray();
          for (int i = 0; i < 2; i++) {
            List<SearchHit> hits = r.result().resultAt(i);
            for (SearchHit h : hits) {
              out.add(new JsonObject().put("docId", h.docId()).put("kind", h.kind()).put("title", h.title())
                  .put("citation", h.citation()).put("snippet", h.snippet())
                  .put("url", h.isGuidance() ? guidanceUrl.apply(h.docId()) : null));
            }
          }
          Replies.json(ctx, 200, new JsonObject().put("results", out));
        }));
  }

  /**
   * An owner's file, always as a download: never given a type a browser would render or sniff, and sandboxed should
   * it be opened anyway. Streamed from disk.
   */
  private void download(RoutingContext ctx) {
    withId(ctx).ifPresent(id -> {
      long fileId;
      try {
        fileId = Long.parseLong(ctx.pathParam("fileId"));
      } catch (NumberFormatException e) {
        fileId = -1; // no such file, answered after the ticket's department is checked
      }
      tickets.file(user(ctx), id, fileId).onComplete(r -> {
        if (r.failed()) {
          fail(ctx, r.cause());
          return;
        }
        Tickets.Download file = r.result();
        ctx.response().putHeader("Content-Type", "application/octet-stream")
            .putHeader("Content-Disposition", disposition(file))
            .putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("Content-Security-Policy", "sandbox")
            .putHeader("Cache-Control", "private, no-store")
            .sendFile(storedFile.apply(file.storedPath()).toString()).onFailure(e -> {
              if (!ctx.response().headWritten()) {
                Replies.error(ctx, 404, "not_found", "文件已不在服务器上");
              }
            });
      });
    });
  }

  /** {@code attachment; filename="file-12.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C.pdf} (RFC 6266, 5987). */
  static String disposition(Tickets.Download file) {
    String name = file.name() == null ? file.asciiName() : file.name();
    StringBuilder encoded = new StringBuilder();
    for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(String.format("%02X", c));
      }
    }
    return "attachment; filename=\"" + file.asciiName() + "\"; filename*=UTF-8''" + encoded;
  }

  private void assign(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      String username = RequestBodies.string(body, "username");
      if (username == null || username.isBlank()) {
        Replies.badRequest(ctx, "请填写要指派的用户名 username");
        return;
      }
      respond(ctx, id -> tickets.assign(user(ctx), id, username.strip()));
    });
  }

  private void transfer(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      String department = RequestBodies.string(body, "department");
      String note = Optional.ofNullable(RequestBodies.string(body, "note")).orElse("").strip();
      if (department == null || department.isBlank()) {
        Replies.badRequest(ctx, "请填写转去的部门 department");
        return;
      }
      if (note.length() > MAX_NOTE_CHARS) {
        Replies.badRequest(ctx, "转办说明不能超过 " + MAX_NOTE_CHARS + " 字");
        return;
      }
      respond(ctx, id -> tickets.transfer(user(ctx), id, department.strip(), note));
    });
  }

  private void reply(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      Optional<String> text = text(ctx, body, MAX_REPLY_CHARS);
      if (text.isEmpty()) {
        return;
      }
      boolean note = Boolean.TRUE.equals(body.getValue("note"));
      boolean feedback = Boolean.TRUE.equals(body.getValue("feedback"));
      if (note && feedback) {
        Replies.badRequest(ctx, "内部备注不会发给企业主，不能同时标记为反馈");
        return;
      }
      withId(ctx).ifPresent(id -> tickets.reply(user(ctx), id, text.get(), note, feedback).onComplete(r -> {
        if (r.failed()) {
          fail(ctx, r.cause());
        } else {
          Replies.json(ctx, 201, new JsonObject().put("line", new JsonObject().put("id", r.result())
              .put("internal", note).put("feedback", feedback)));
        }
      }));
    });
  }

  private void phoneCall(RoutingContext ctx) {
    body(ctx).ifPresent(body -> text(ctx, body, MAX_REPLY_CHARS).ifPresent(text -> withId(ctx).ifPresent(id ->
        tickets.phoneCall(user(ctx), id, text).onComplete(r -> {
          if (r.failed()) {
            fail(ctx, r.cause());
          } else {
            Replies.json(ctx, 201, json.summary(r.result()));
          }
        }))));
  }

  private void complexity(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      String complexity = RequestBodies.string(body, "complexity");
      if (!Ticket.SIMPLE.equals(complexity) && !Ticket.COMPLEX.equals(complexity)) {
        Replies.badRequest(ctx, "complexity 只能是 simple 或 complex");
        return;
      }
      respond(ctx, id -> tickets.complexity(user(ctx), id, complexity));
    });
  }

  private void resolve(RoutingContext ctx) {
    boolean empty = ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0;
    JsonObject body = empty ? new JsonObject() : null;
    if (body == null) {
      Optional<JsonObject> parsed = RequestBodies.jsonObject(ctx);
      if (parsed.isEmpty()) {
        return;
      }
      body = parsed.get();
    }
    Object proposal = body.getValue("proposal");
    if (proposal != null && !(proposal instanceof JsonObject)) {
      Replies.badRequest(ctx, "proposal 应为 {\"title\", \"answer\"}");
      return;
    }
    respond(ctx, id -> tickets.resolve(user(ctx), id, (JsonObject) proposal));
  }

  private Optional<JsonObject> body(RoutingContext ctx) {
    return RequestBodies.jsonObject(ctx);
  }

  private static Optional<String> text(RoutingContext ctx, JsonObject body, int max) {
    String text = RequestBodies.string(body, "text");
    if (text == null || text.isBlank()) {
      Replies.badRequest(ctx, "请填写内容 text");
      return Optional.empty();
    }
    if (text.codePointCount(0, text.length()) > max) {
      Replies.badRequest(ctx, "内容不能超过 " + max + " 字");
      return Optional.empty();
    }
    return Optional.of(text.strip());
  }

  private void respond(RoutingContext ctx, Function<Long, Future<Tickets.Detail>> action) {
    withId(ctx).ifPresent(id -> action.apply(id).onComplete(r -> {
      if (r.failed()) {
        fail(ctx, r.cause());
      } else {
        Replies.json(ctx, 200, json.summary(r.result()));
      }
    }));
  }

  private static Optional<Long> withId(RoutingContext ctx) {
    try {
      long id = Long.parseLong(ctx.pathParam("id"));
      if (id > 0) {
        return Optional.of(id);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    Replies.error(ctx, 404, "not_found", "没有这个工单");
    return Optional.empty();
  }

  private static void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof TicketRefused refused) {
      Replies.error(ctx, refused.status(), refused.error(), refused.getMessage());
    } else {
      ctx.fail(cause);
    }
  }

  private static User user(RoutingContext ctx) {
    return WebKit.user(ctx);
  }
}
