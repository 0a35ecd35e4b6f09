package dev.isolatepool.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.PoolStats;
import dev.isolatepool.pool.WorkerInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page: {@code GET /} serves a static HTML page that polls {@code GET /api/status}
 * once a second and renders tenants, workers, debugger sessions, evictions and each tenant's
 * DevTools URL.
 *
 * <p>Thread contract: runs on the HTTP executor. It reads only snapshots the pool offers to
 * any thread ({@code workers()}, {@code stats()}), so it never waits on V8.
 */
final class StatusPage implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);

  private final IsolatePool pool;
  private final PlatformApi api;
  private final TenantRegistry registry;
  private final PoolEvents events;
  private final DebugLinks.Source debugLinks;
  private final int httpPort;
  private final byte[] html;

  StatusPage(IsolatePool pool, PlatformApi api, TenantRegistry registry, PoolEvents events,
      DebugLinks.Source debugLinks, int httpPort) {
    this.pool = pool;
    this.api = api;
    this.registry = registry;
    this.events = events;
    this.debugLinks = debugLinks;
    this.httpPort = httpPort;
    this.html = loadPage();
  }

  private static byte[] loadPage() {
    try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("missing resource status.html");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      HttpJson.requireLoopbackHost(exchange);
      String path = exchange.getRequestURI().getRawPath();
      boolean known = path.equals("/") || path.equals("/index.html") || path.equals("/api/status");
      if (!known) {
        throw ApiError.notFound("no such resource: " + path
            + " (the status page is /, its data /api/status, the API /tenants)");
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        throw new ApiError(405, "method_not_allowed",
            exchange.getRequestMethod() + " is not allowed on " + path + "; allowed: GET")
            .with("field", "method");
      }
      if (path.equals("/api/status")) {
        HttpJson.sendJson(exchange, 200, status());
      } else {
        exchange.getResponseHeaders().set("Content-Security-Policy",
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
        HttpJson.send(exchange, 200, "text/html; charset=utf-8", html);
      }
    } catch (ApiError error) {
      HttpJson.sendError(exchange, error);
    } catch (RuntimeException e) {
      LOG.error("status request failed", e);
      HttpJson.sendError(exchange, ErrorMapping.toApiError(e, ErrorMapping.Operation.OTHER));
    }
  }

  /** The document {@code /api/status} returns. */
  Map<String, Object> status() {
    Map<String, Object> doc = new LinkedHashMap<>();
    PoolStats stats = pool.stats();
    doc.put("pool", stats);
    doc.put("gateway", debugLinks.address());
    doc.put("api", "http://127.0.0.1:" + httpPort);
    doc.put("tenants", api.listTenants());
    List<Map<String, Object>> workers = new ArrayList<>();
    int sessions = 0;
    for (WorkerInfo w : pool.workers()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("worker", w.contextGroupId());
      row.put("state", w.state().name());
      row.put("tenant", w.tenantId());
      row.put("sessions", w.sessions());
      row.put("heapUsedBytes", w.heapUsedBytes() < 0 ? null : w.heapUsedBytes());
      row.put("leases", w.leases());
      row.put("scriptUrls", w.scriptUrls());
      workers.add(row);
      sessions += w.sessions();
    }
    doc.put("workers", workers);
    doc.put("debuggerSessions", sessions);
    doc.put("evictionsRequested", registry.evictions());
    doc.put("retirements", events.retirements());
    doc.put("pauses", events.pauses());
    doc.put("events", events.recent());
    doc.put("nowMillis", System.currentTimeMillis());
    return doc;
  }
}
