package dev.isolatepool.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolatepool.pool.WorkerInfo;
import dev.isolatepool.pool.WorkerState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The DevTools discovery documents, in the format Node serves: {@code /json/list},
 * {@code /json/version} and {@code /json/protocol}. Thread-safe.
 */
final class Discovery {
  static final String FAVICON = "https://nodejs.org/static/images/favicons/favicon.ico";
  private static final String PROTOCOL_RESOURCE = "js_protocol.json";

  private final ObjectMapper json = new ObjectMapper();
  private final RouteTable routes;
  private final byte[] version;
  private final byte[] protocol;

  private final List<String> listFirst;

  Discovery(RouteTable routes, List<String> listFirst) {
    this.routes = routes;
    this.listFirst = listFirst;
    Map<String, String> versionDoc = new LinkedHashMap<>();
    versionDoc.put("Browser", "isolate-pool/" + implementationVersion());
    versionDoc.put("Protocol-Version", "1.3");
    this.version = toJson(versionDoc);
    this.protocol = loadProtocol();
  }

  byte[] version() {
    return version;
  }

  /** V8's js_protocol schema (the devtools-protocol package's copy, BSD licence alongside). */
  byte[] protocol() {
    return protocol;
  }

  /**
   * One entry per leased worker whose tenant passes {@code visible}: the configured
   * {@code listFirst} tenants first, then by context group.
   *
   * @param host the host (and port) clients used to reach us, for the URLs
   * @param credential appended to the WebSocket URL as {@code token} in multi-tenant mode, or null
   */
  byte[] list(List<WorkerInfo> workers, Predicate<String> visible, String host,
      String credential) {
    List<WorkerInfo> targets = new ArrayList<>();
    for (WorkerInfo worker : workers) {
      if (worker.tenantId() != null && isLeased(worker.state()) && visible.test(worker.tenantId())) {
        targets.add(worker);
      }
    }
    targets.sort(Comparator.comparingInt(this::rank)
        .thenComparingInt(WorkerInfo::contextGroupId));
    List<Map<String, String>> entries = new ArrayList<>(targets.size());
    for (WorkerInfo worker : targets) {
      entries.add(entry(worker, host, credential));
    }
    return toJson(entries);
  }

  /** Configured tenants first, in their order; everyone else after them. */
  private int rank(WorkerInfo worker) {
    int index = listFirst.indexOf(worker.tenantId());
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  /** The path and query a client connects to for the tenant: {@code /ROUTE[?token=T]}. */
  String targetPath(String tenantId, String credential) {
    String path = "/" + routes.routeOf(tenantId);
    return credential == null ? path
        : path + "?token=" + URLEncoder.encode(credential, StandardCharsets.UTF_8);
  }

  private Map<String, String> entry(WorkerInfo worker, String host, String credential) {
    String routeId = routes.routeOf(worker.tenantId());
    String target = host + targetPath(worker.tenantId(), credential);
    // Node writes ws=HOST/PATH unencoded; a query in it must be encoded to survive as one value.
    String wsParam = credential == null ? target : URLEncoder.encode(target, StandardCharsets.UTF_8);
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("description", "V8 isolate of tenant " + worker.tenantId()
        + " (context group " + worker.contextGroupId() + ")");
    entry.put("devtoolsFrontendUrl",
        "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=" + wsParam);
    entry.put("devtoolsFrontendUrlCompat",
        "devtools://devtools/bundled/inspector.html?experiments=true&v8only=true&ws=" + wsParam);
    entry.put("faviconUrl", FAVICON);
    entry.put("id", routeId);
    entry.put("title", worker.tenantId());
    entry.put("type", "node");
    entry.put("url", worker.scriptUrls().isEmpty() ? "" : worker.scriptUrls().get(0));
    entry.put("webSocketDebuggerUrl", "ws://" + target);
    return entry;
  }

  private static boolean isLeased(WorkerState state) {
    return state == WorkerState.LEASED || state == WorkerState.RUNNING
        || state == WorkerState.PAUSED;
  }

  private byte[] toJson(Object document) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }

  private static byte[] loadProtocol() {
    try (InputStream in = Discovery.class.getResourceAsStream(PROTOCOL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + PROTOCOL_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + PROTOCOL_RESOURCE, e);
    }
  }

  private static String implementationVersion() {
    String v = Discovery.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
