package dev.isolatepool.gateway;

import dev.isolatepool.gateway.metrics.GatewayMetrics;
import dev.isolatepool.pool.IsolatePool;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The one front door to an {@link InspectorGateway}. Every setter validates at once and throws
 * {@link IllegalArgumentException} naming the setting and the value; settings that conflict
 * throw {@link IllegalStateException} from {@link #build()}. A builder builds once: afterwards
 * it is sealed and every setter throws {@link IllegalStateException}.
 *
 * <p>Not thread-safe; configure it on one thread.
 */
public final class InspectorGatewayBuilder {
  private final IsolatePool pool;
  private String bindAddress = "127.0.0.1";
  private int port = 9229;
  private GatewayMode mode = GatewayMode.LOCAL_DEVELOPMENT;
  private TenantAuthorizer authorizer;
  private final Set<String> allowedHosts = new LinkedHashSet<>();
  private final Set<String> allowedOrigins = new LinkedHashSet<>();
  private int maxInboundMessageBytes = 4 << 20;
  private int maxSessionsPerTarget = 8;
  private int maxSessionsPerTenant = 8;
  private int maxMessagesPerSecond = 10_000;
  private long maxOutboundBufferBytes = 16L << 20;
  private Duration handshakeTimeout = Duration.ofSeconds(10);
  private int ioThreads = 1;
  private boolean nativeTransport = true;
  private final List<String> listFirst = new ArrayList<>();
  private GatewayMetrics metrics = GatewayMetrics.NOOP;
  private boolean sealed;

  InspectorGatewayBuilder(IsolatePool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * The address to listen on, an IP literal or {@code localhost}. Default {@code 127.0.0.1}.
   * {@link GatewayMode#LOCAL_DEVELOPMENT} requires a loopback address.
   */
  public InspectorGatewayBuilder bindAddress(String address) {
    checkIfSealed();
    if (address == null
        || !(NetUtil.isValidIpV4Address(address) || NetUtil.isValidIpV6Address(address)
            || "localhost".equalsIgnoreCase(address))) {
      throw new IllegalArgumentException(
          "bindAddress must be an IP literal or localhost, was: " + address);
    }
    this.bindAddress = address;
    return this;
  }

  /** The TCP port; 0 picks a free one (see {@link InspectorGateway#port()}). Default 9229. */
  public InspectorGatewayBuilder port(int port) {
    checkIfSealed();
    requireRange("port", port, 0, 65_535);
    this.port = port;
    return this;
  }

  /** Node-like mode: everything on loopback is listed and reachable without a credential. */
  public InspectorGatewayBuilder localDevelopment() {
    checkIfSealed();
    this.mode = GatewayMode.LOCAL_DEVELOPMENT;
    this.authorizer = null;
    return this;
  }

  /** Discovery and connections need a credential that {@code authorizer} maps to a tenant. */
  public InspectorGatewayBuilder multiTenant(TenantAuthorizer authorizer) {
    checkIfSealed();
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.mode = GatewayMode.MULTI_TENANT;
    return this;
  }

  /**
   * Host names accepted in the {@code Host} header besides IP literals, {@code localhost} and
   * {@code localhost6} (the DNS-rebinding defence). Case-insensitive, without port.
   */
  public InspectorGatewayBuilder allowedHosts(String... hosts) {
    checkIfSealed();
    for (String host : Objects.requireNonNull(hosts, "allowedHosts")) {
      if (host == null || !host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
        throw new IllegalArgumentException(
            "allowedHosts entries must be DNS host names without port, was: " + host);
      }
      allowedHosts.add(host.toLowerCase(Locale.ROOT));
    }
    return this;
  }

  /**
   * Web origins ({@code scheme://host[:port]}) whose pages may connect, for example the origin
   * serving a hosted DevTools front end. DevTools' own origins ({@code devtools://devtools},
   * {@code chrome-devtools://...}) and requests without an {@code Origin} header (non-browser
   * clients) are always allowed; other web origins are refused unless listed here.
   */
  public InspectorGatewayBuilder allowedOrigins(String... origins) {
    checkIfSealed();
    for (String origin : Objects.requireNonNull(origins, "allowedOrigins")) {
      allowedOrigins.add(normalizeOrigin(origin));
    }
    return this;
  }

  /** The largest inbound CDP message after reassembling fragments. Default 4 MiB. */
  public InspectorGatewayBuilder maxInboundMessageBytes(int bytes) {
    checkIfSealed();
    requireRange("maxInboundMessageBytes", bytes, 128, 1 << 30);
    this.maxInboundMessageBytes = bytes;
    return this;
  }

  /** Simultaneous WebSocket sessions on one isolate (context group). Default 8. */
  public InspectorGatewayBuilder maxSessionsPerTarget(int sessions) {
    checkIfSealed();
    requireRange("maxSessionsPerTarget", sessions, 1, 10_000);
    this.maxSessionsPerTarget = sessions;
    return this;
  }

  /** Simultaneous WebSocket sessions (and pending handshakes) of one tenant. Default 8. */
  public InspectorGatewayBuilder maxSessionsPerTenant(int sessions) {
    checkIfSealed();
    requireRange("maxSessionsPerTenant", sessions, 1, 10_000);
    this.maxSessionsPerTenant = sessions;
    return this;
  }

  /**
   * Inbound CDP messages one session may send per second, with bursts up to the same number.
   * Default 10,000.
   */
  public InspectorGatewayBuilder maxMessagesPerSecond(int messages) {
    checkIfSealed();
    requireRange("maxMessagesPerSecond", messages, 1, 10_000_000);
    this.maxMessagesPerSecond = messages;
    return this;
  }

  /**
   * Outbound bytes one session may have queued but not yet written to its socket. Past it the
   * session ends as a slow consumer; the worker never waits. Default 16 MiB.
   */
  public InspectorGatewayBuilder maxOutboundBufferBytes(long bytes) {
    checkIfSealed();
    requireRange("maxOutboundBufferBytes", bytes, 1024, 1L << 32);
    this.maxOutboundBufferBytes = bytes;
    return this;
  }

  /**
   * How long a connection may take to complete its WebSocket upgrade; an HTTP connection that
   * has not upgraded by then is closed. Default 10 s.
   */
  public InspectorGatewayBuilder handshakeTimeout(Duration timeout) {
    checkIfSealed();
    if (timeout == null || timeout.isZero() || timeout.isNegative()
        || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "handshakeTimeout must be a positive duration of at most 1 hour, was: " + timeout);
    }
    this.handshakeTimeout = timeout;
    return this;
  }

  /**
   * Tenants that discovery ({@code /json}) lists first, in this order; the others follow by
   * context group. {@code node inspect} and VS Code without {@code websocketAddress} attach to
   * the first entry, so this picks the default target.
   */
  public InspectorGatewayBuilder listFirst(String... tenantIds) {
    checkIfSealed();
    for (String tenant : tenantIds) {
      if (tenant == null || tenant.isBlank()) {
        throw new IllegalArgumentException("listFirst tenant ids must be non-blank, was: "
            + java.util.Arrays.toString(tenantIds));
      }
      listFirst.add(tenant);
    }
    return this;
  }

  /** Netty event-loop threads. Default 1; CDP relaying is light and V8 runs elsewhere. */
  public InspectorGatewayBuilder ioThreads(int threads) {
    checkIfSealed();
    requireRange("ioThreads", threads, 1, 64);
    this.ioThreads = threads;
    return this;
  }

  /**
   * Whether to use Linux's native epoll transport where it loads (default true). It has lower
   * latency than the JDK's NIO selector, which remains the fallback on other systems.
   * {@link InspectorGateway#transport()} tells which one runs.
   */
  public InspectorGatewayBuilder nativeTransport(boolean enabled) {
    checkIfSealed();
    this.nativeTransport = enabled;
    return this;
  }

  /**
   * Where the gateway reports HTTP answers, WebSocket opens and closes (by close code), and
   * message counts; for example {@code new MicrometerGatewayMetrics(registry, "inspector")}.
   * Default: nothing is recorded.
   */
  public InspectorGatewayBuilder metrics(GatewayMetrics metrics) {
    checkIfSealed();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /** Validates the combination and seals this builder. Call {@link InspectorGateway#start()}. */
  public InspectorGateway build() {
    checkIfSealed();
    if (mode == GatewayMode.LOCAL_DEVELOPMENT && !isLoopback(bindAddress)) {
      throw new IllegalStateException("bindAddress " + bindAddress
          + " is not loopback: LOCAL_DEVELOPMENT mode lists and opens every target without a"
          + " credential, so it may only listen on loopback; use multiTenant(authorizer)");
    }
    sealed = true;
    GatewayConfig config = new GatewayConfig(bindAddress, port, mode, authorizer,
        Set.copyOf(allowedHosts), Set.copyOf(allowedOrigins), maxInboundMessageBytes,
        maxSessionsPerTarget, maxSessionsPerTenant, maxMessagesPerSecond,
        maxOutboundBufferBytes, handshakeTimeout, ioThreads, nativeTransport,
        List.copyOf(listFirst), metrics);
    return new InspectorGateway(config, pool);
  }

  private static boolean isLoopback(String address) {
    if ("localhost".equalsIgnoreCase(address)) {
      return true;
    }
    try {
      // An IP literal: getByAddress does no DNS lookup.
      return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address))
          .isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String normalizeOrigin(String origin) {
    String problem = "allowedOrigins entries must look like scheme://host[:port], was: " + origin;
    if (origin == null) {
      throw new IllegalArgumentException(problem);
    }
    try {
      URI uri = new URI(origin);
      if (uri.getScheme() == null || uri.getHost() == null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(problem);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem, e);
    }
    return origin.toLowerCase(Locale.ROOT);
  }

  private void checkIfSealed() {
    if (sealed) {
      throw new IllegalStateException("the gateway was built; its configuration can't be changed");
    }
  }

  private static void requireRange(String setting, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", was: " + value);
    }
  }
}
