package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.Conversations;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.logging.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot's Stream-mode link (mode {@code stream}): the service dials DingTalk, so it needs no public address.
 * A ticket from {@code connections/open} opens one WebSocket; every frame on it is JSON text and is answered with its
 * {@code messageId}. A robot message (CALLBACK on {@value DingTalkApi#BOT_TOPIC}) is acknowledged only once the
 * conversation core has recorded it, so a message lost to a crash comes again and a repeat is recognised by its
 * {@code msgId}; the answer follows through the outbox. SYSTEM {@code ping} is echoed; SYSTEM {@code disconnect}
 * retires the link (DingTalk closes it a few seconds later) and a new one is opened with a fresh ticket. A link
 * that drops or cannot be opened is tried again after 1 s, doubling to a minute, back to 1 s once a link is open.
 */
public final class DingTalkStream {
  private static final Logger LOG = LoggerFactory.getLogger(DingTalkStream.class);
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long MAX_RETRY_MS = 60_000;

  private final Vertx vertx;
  private final DingTalkApi api;
  private final Conversations conversations;
  private final WebSocketClient sockets;
  private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
  // guarded by this
  private boolean running;
  private boolean connecting;
  private WebSocket current;
  private long retryDelay = FIRST_RETRY_MS;
  private long retryTimer = -1;

  public DingTalkStream(Vertx vertx, DingTalkApi api, Conversations conversations, Duration connectTimeout) {
    this.vertx = vertx;
    this.api = api;
    this.conversations = conversations;
    this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setConnectTimeout((int) connectTimeout.toMillis()));
  }

  public void start() {
    synchronized (this) {
      running = true;
    }
    connect();
  }

  /** True while a stream link is open (shown on {@code /health}). */
  public synchronized boolean connected() {
    return current != null;
  }

  public Future<Void> stop() {
    synchronized (this) {
      running = false;
      current = null;
      if (retryTimer >= 0) {
        vertx.cancelTimer(retryTimer);
        retryTimer = -1;
      }
    }
    open.forEach(ws -> ws.close());
    return sockets.close();
  }

  private void connect() {
    synchronized (this) {
      if (!running || connecting) {
        return;
      }
      connecting = true;
    }
    api.openConnection().compose(this::dial).onComplete(r -> {
      synchronized (this) {
        connecting = false;
      }
      if (r.succeeded()) {
        opened(r.result());
      } else {
        LOG.warn("The DingTalk stream could not be opened: {}", r.cause().getMessage());
        retryLater();
      }
    });
  }

  private Future<WebSocket> dial(DingTalkApi.Ticket ticket) {
    URI endpoint;
    try {
      endpoint = new URI(ticket.endpoint());
    } catch (java.net.URISyntaxException e) {
      return Future.failedFuture(new IllegalArgumentException("connections/open gave an unreadable endpoint"));
    }
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    boolean ssl = scheme.equals("wss") || scheme.equals("https");
    if (endpoint.getHost() == null || !ssl && !scheme.equals("ws") && !scheme.equals("http")) {
      return Future.failedFuture(new IllegalArgumentException("connections/open gave an endpoint that is no"
          + " WebSocket URL"));
    }
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    String query = (endpoint.getRawQuery() == null ? "" : endpoint.getRawQuery() + "&")
        + "ticket=" + URLEncoder.encode(ticket.ticket(), StandardCharsets.UTF_8);
    return sockets.connect(new WebSocketConnectOptions().setHost(endpoint.getHost())
        .setPort(endpoint.getPort() < 0 ? (ssl ? 443 : 80) : endpoint.getPort()).setSsl(ssl)
        .setURI(path + "?" + query));
  }

  private void opened(WebSocket ws) {
    synchronized (this) {
      if (!running) {
        ws.close();
        return;
      }
      current = ws;
      retryDelay = FIRST_RETRY_MS;
    }
    open.add(ws);
    ws.textMessageHandler(text -> onFrame(ws, text));
    ws.exceptionHandler(e -> LOG.warn("The DingTalk stream failed: {}", e.getMessage()));
    ws.closeHandler(v -> closed(ws));
    LOG.info("The DingTalk stream is open");
  }

  private void closed(WebSocket ws) {
    open.remove(ws);
    synchronized (this) {
      if (ws != current) {
        return; // a link retired by disconnect, or the service stopping
      }
      current = null;
    }
    LOG.warn("The DingTalk stream dropped");
    retryLater();
  }

  private void retryLater() {
    synchronized (this) {
      if (!running || retryTimer >= 0) {
        return;
      }
      long delay = retryDelay;
      retryDelay = Math.min(MAX_RETRY_MS, retryDelay * 2);
      LOG.info("Opening the DingTalk stream again in {} ms", delay);
      retryTimer = vertx.setTimer(delay, t -> {
        synchronized (this) {
          retryTimer = -1;
        }
        connect();
      });
    }
  }

  private void onFrame(WebSocket ws, String text) {
    JsonObject frame;
    try {
      Object parsed = Json.decodeValue(text);
      frame = parsed instanceof JsonObject ? (JsonObject) parsed : null;
    } catch (DecodeException e) {
      frame = null;
    }
    JsonObject headers = frame == null ? null : frame.getJsonObject("headers");
    if (headers == null || !(headers.getValue("messageId") instanceof String)) {
      LOG.warn("The DingTalk stream sent a frame without a messageId; ignored");
      return;
    }
    String messageId = headers.getString("messageId");
    String type = String.valueOf(frame.getValue("type"));
    String topic = String.valueOf(headers.getValue("topic"));
    Object data = frame.getValue("data");
    if ("SYSTEM".equals(type) && "ping".equals(topic)) {
      answer(ws, messageId, data instanceof String ? (String) data : "");
    } else if ("SYSTEM".equals(type) && "disconnect".equals(topic)) {
      LOG.info("DingTalk asked to leave the stream; opening a new one");
      synchronized (this) {
        if (ws == current) {
          current = null;
        }
      }
      answer(ws, messageId, "{\"response\":null}");
      connect();
    } else if ("CALLBACK".equals(type) && DingTalkApi.BOT_TOPIC.equals(topic)) {
      String message = data instanceof String ? (String) data : "";
      RequestIds.within(vertx, "dingtalk-" + messageId, () -> robotMessage(ws, messageId, message));
    } else {
      answer(ws, messageId, "{\"response\":null}");
    }
  }

  private void robotMessage(WebSocket ws, String messageId, String data) {
    InboundMessage message;
    try {
      message = DingTalkMessage.parse(data);
    } catch (IllegalArgumentException e) {
      // acknowledged: DingTalk would only send the same unreadable message again
      LOG.warn("DingTalk stream frame {} holds no readable robot message ({}); acknowledged and dropped", messageId,
          e.getMessage());
      answer(ws, messageId, "{\"response\":null}");
      return;
    }
    conversations.receive(message).onComplete(stored -> {
      if (stored.failed()) {
        LOG.warn("DingTalk message {} could not be recorded; not acknowledged, so DingTalk sends it again: {}",
            message.messageId(), stored.cause().toString());
        return;
      }
      if (!stored.result()) {
        LOG.info("DingTalk delivered message {} again; it was recorded before", message.messageId());
      }
      answer(ws, messageId, "{\"response\":null}");
    });
  }

  private static void answer(WebSocket ws, String messageId, String data) {
    JsonObject ack = new JsonObject().put("code", 200).put("message", "OK")
        .put("headers", new JsonObject().put("messageId", messageId).put("contentType", "application/json"))
        .put("data", data);
    ws.writeTextMessage(ack.encode()).onFailure(e -> LOG.warn("Could not acknowledge DingTalk frame {}: {}",
        messageId, e.getMessage()));
  }
}
