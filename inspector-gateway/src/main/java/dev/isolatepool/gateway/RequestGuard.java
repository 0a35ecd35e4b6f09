package dev.isolatepool.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The request checks that come before any routing: the Host header (DNS rebinding), the Origin
 * header (web pages) and the credential. Stateless and thread-safe.
 */
final class RequestGuard {
  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;

  RequestGuard(GatewayConfig config) {
    this.allowedHosts = config.allowedHosts();
    this.allowedOrigins = config.allowedOrigins();
  }

  /**
   * Node's rule (CVE-2018-7160), plus the configured names: a missing Host (no browser omits
   * it), an IP literal, {@code localhost}, {@code localhost6} or an allowed name. A page on
   * {@code evil.example} that rebinds its name to 127.0.0.1 still sends its own name and fails.
   */
  boolean isAllowedHost(String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return true;
    }
    String host = hostWithoutPort(hostHeader);
    if (host == null) {
      return false;
    }
    if (host.startsWith("[")) {
      return NetUtil.isValidIpV6Address(host.substring(1, host.length() - 1));
    }
    String lower = host.toLowerCase(Locale.ROOT);
    return NetUtil.isValidIpV4Address(lower) || lower.equals("localhost")
        || lower.equals("localhost6") || allowedHosts.contains(lower);
  }

  /**
   * No Origin means a non-browser client (node inspect, chrome-remote-interface), which DNS
   * rebinding and cross-site pages can't be. DevTools' own origins are allowed; web origins only
   * when configured. {@code Origin: null} (sandboxed or file pages) is refused.
   */
  boolean isAllowedOrigin(String origin) {
    if (origin == null) {
      return true;
    }
    String lower = origin.toLowerCase(Locale.ROOT);
    return lower.startsWith("devtools://") || lower.startsWith("chrome-devtools://")
        || allowedOrigins.contains(lower);
  }

  /**
   * The credential of a request: {@code Authorization: Bearer <credential>}, else the
   * {@code token} query parameter. Null when neither is present.
   */
  static String credentialOf(HttpRequest request, QueryStringDecoder query) {
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!token.isEmpty()) {
        return token;
      }
    }
    List<String> tokens = query.parameters().get("token");
    return tokens == null || tokens.isEmpty() || tokens.get(0).isEmpty() ? null : tokens.get(0);
  }

  /** The host part of a Host header (brackets kept for IPv6), or null if malformed. */
  private static String hostWithoutPort(String hostHeader) {
    String host = hostHeader;
    String port = null;
    if (hostHeader.startsWith("[")) {
      int close = hostHeader.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = hostHeader.substring(0, close + 1);
      String rest = hostHeader.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return null;
        }
        port = rest.substring(1);
      }
    } else {
      int colon = hostHeader.indexOf(':');
      if (colon >= 0) {
        if (hostHeader.indexOf(':', colon + 1) >= 0) {
          return null; // an unbracketed IPv6 literal is not a valid Host
        }
        host = hostHeader.substring(0, colon);
        port = hostHeader.substring(colon + 1);
      }
    }
    if (port != null && !port.matches("[0-9]{1,5}")) {
      return null;
    }
    return host.isEmpty() ? null : host;
  }
}
