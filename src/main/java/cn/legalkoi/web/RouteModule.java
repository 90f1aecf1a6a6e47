package cn.legalkoi.web;

import io.vertx.ext.web.Router;

/**
 * A package's HTTP routes, which it mounts itself: the question API, administration, pages, and later each chat
 * channel and the tickets. Each route is declared authenticate → validate → act, with its own body limit.
 */
public interface RouteModule {
  void mount(Router router, WebKit web);
}
