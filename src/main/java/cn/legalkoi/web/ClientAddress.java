package cn.legalkoi.web;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a request came from, for the limits by network address (web chat, sign-in). Behind a reverse proxy
 * every request arrives from the proxy, so all owners would share one limit: when the direct peer is one of
 * {@code http.trustedProxies}, the client is the right-most address of {@code X-Forwarded-For} that is not itself a
 * trusted proxy. A peer not on the list is taken as the client, whatever headers it sends, so a client cannot
 * choose its own address by writing the header.
 */
public final class ClientAddress {
  private static final String KEY = "legalkoi.clientAddress";
  private static final String HTTPS_KEY = "legalkoi.https";
  static final String FORWARDED_FOR = "X-Forwarded-For";
  static final String FORWARDED_PROTO = "X-Forwarded-Proto";

  private final List<Range> trusted;

  /** @param trustedProxies addresses ({@code 127.0.0.1}) or ranges ({@code 10.0.0.0/8}, {@code ::1/128}) */
  public ClientAddress(List<String> trustedProxies) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : trustedProxies) {
      ranges.add(Range.parse(entry));
    }
    this.trusted = List.copyOf(ranges);
  }

  /** Works out the request's client address and keeps it on the context for {@link #of}. */
  void remember(RoutingContext ctx) {
    String peer = peer(ctx);
    // a proxy may add a header line of its own rather than extend the client's: read them all, in order
    java.util.List<String> lines = ctx.request().headers().getAll(FORWARDED_FOR);
    ctx.put(KEY, resolve(peer, lines.isEmpty() ? null : String.join(",", lines)));
    ctx.put(HTTPS_KEY, ctx.request().isSSL()
        || isTrusted(peer) && "https".equalsIgnoreCase(ctx.request().getHeader(FORWARDED_PROTO)));
  }

  /** True when the browser reached us over HTTPS, directly or through a trusted proxy that says so. */
  public static boolean https(RoutingContext ctx) {
    Boolean remembered = ctx.get(HTTPS_KEY);
    return remembered != null ? remembered : ctx.request().isSSL();
  }

  /** The client address of a request that went through {@link HttpServerVerticle}; its peer otherwise. */
  public static String of(RoutingContext ctx) {
    String remembered = ctx.get(KEY);
    return remembered != null ? remembered : peer(ctx);
  }

  String resolve(String peer, String forwardedFor) {
    if (trusted.isEmpty() || forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (literal(hop) == null) {
        // a hop that is not an address cannot be trusted nor limited reliably: stop at the last one that was
        return client;
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  private boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Range range : trusted) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static String peer(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
  }

  /** The bytes of an IPv4 or IPv6 literal, or null for anything else (never a name lookup). */
  static byte[] literal(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    boolean v4 = text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    boolean v6 = text.indexOf(':') >= 0 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':'
        || c == '.');
    if (!v4 && !v6) {
      return null;
    }
    if (v4) {
      // four numbers 0-255, so that nothing here ever reaches a name lookup
      String[] parts = text.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      for (String part : parts) {
        if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private record Range(byte[] network, int prefix) {
    static Range parse(String entry) {
      String text = entry.strip();
      int slash = text.indexOf('/');
      byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("http.trustedProxies: \"" + entry + "\" is not an IP address or range");
      }
      int prefix = network.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException("http.trustedProxies: \"" + entry + "\" has a bad prefix length");
        }
      }
      return new Range(network, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }
}
