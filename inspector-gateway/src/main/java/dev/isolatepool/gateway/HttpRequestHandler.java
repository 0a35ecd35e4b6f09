package dev.isolatepool.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves discovery and performs the WebSocket upgrade, after the security checks. Runs on the
 * channel's event loop and never blocks: discovery reads a pool snapshot, and the session is
 * opened asynchronously by {@link CdpWebSocketHandler}.
 *
 * <p>Order of checks: malformed request (400), HTTP version (505), Host (400), Origin (403),
 * method (405), credential in multi-tenant mode (401), then the path (404; 426 for a target's
 * own path without a WebSocket upgrade). A request that fails a check learns nothing about
 * targets.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

  private final GatewayContext gateway;

  HttpRequestHandler(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      reject(ctx, null, HttpResponseStatus.BAD_REQUEST, "Bad Request: not a valid HTTP request");
      return;
    }
    HttpVersion version = request.protocolVersion();
    if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
      reject(ctx, null, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "HTTP Version Not Supported: use HTTP/1.1, was " + version.text());
      return;
    }
    String host = request.headers().get(HttpHeaderNames.HOST);
    if (!gateway.guard.isAllowedHost(host)) {
      reject(ctx, request, HttpResponseStatus.BAD_REQUEST, "Host header is not allowed: use an IP"
          + " address, localhost, or a name configured in allowedHosts (DNS-rebinding check)");
      return;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!gateway.guard.isAllowedOrigin(origin)) {
      reject(ctx, request, HttpResponseStatus.FORBIDDEN,
          "Origin is not allowed: add it to allowedOrigins to let that page connect");
      return;
    }
    if (!HttpMethod.GET.equals(request.method())) {
      FullHttpResponse response = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "Method Not Allowed: only GET is served");
      response.headers().set(HttpHeaderNames.ALLOW, "GET");
      answer(ctx, request, response);
      return;
    }
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String tenantOfCredential = null;
    String credential = null;
    if (gateway.config.mode() == GatewayMode.MULTI_TENANT) {
      credential = RequestGuard.credentialOf(request, query);
      Optional<String> tenant = credential == null ? Optional.empty()
          : gateway.config.authorizer().tenantOf(credential);
      if (tenant.isEmpty() && !isPublicDocument(query.path())) {
        FullHttpResponse response = HttpResponses.text(HttpResponseStatus.UNAUTHORIZED,
            credential == null
                ? "Unauthorized: send Authorization: Bearer <credential> or ?token=<credential>"
                : "Unauthorized: the credential is not valid");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"inspector\"");
        answer(ctx, request, response);
        return;
      }
      tenantOfCredential = tenant.orElse(null);
    }
    if (isWebSocketUpgrade(request)) {
      upgrade(ctx, request, query.path(), tenantOfCredential, host);
      return;
    }
    serveDiscovery(ctx, request, query.path(), host, tenantOfCredential, credential);
  }

  private void serveDiscovery(ChannelHandlerContext ctx, FullHttpRequest request, String path,
      String host, String tenantOfCredential, String credential) {
    String normalized = path.length() > 1 && path.endsWith("/")
        ? path.substring(0, path.length() - 1) : path;
    switch (normalized) {
      case "/json", "/json/list" -> {
        String urlHost = host == null || host.isEmpty() ? boundHost(ctx) : host;
        byte[] body = gateway.discovery.list(gateway.pool.workers(),
            tenant -> tenantOfCredential == null || tenantOfCredential.equals(tenant),
            urlHost, credential);
        answer(ctx, request, HttpResponses.json(body));
      }
      case "/json/version" ->
          answer(ctx, request, HttpResponses.json(gateway.discovery.version()));
      case "/json/protocol" ->
          answer(ctx, request, HttpResponses.json(gateway.discovery.protocol()));
      default -> {
        if (routedTenant(path, tenantOfCredential).isPresent()) {
          // A target's URL opened as a page: say what it is (RFC 7231 6.5.15).
          FullHttpResponse response = HttpResponses.text(HttpResponseStatus.UPGRADE_REQUIRED,
              "Upgrade Required: this is a DevTools WebSocket endpoint; connect with a"
                  + " WebSocket client such as Chrome DevTools or node inspect");
          response.headers().set(HttpHeaderNames.UPGRADE, "websocket");
          answer(ctx, request, response);
        } else {
          answer(ctx, request, HttpResponses.text(HttpResponseStatus.NOT_FOUND, "Not Found"));
        }
      }
    }
  }

  /**
   * The tenant whose route {@code path} is, if the request may reach it: in multi-tenant mode
   * only with that tenant's credential. Another tenant's route looks exactly like an unknown
   * one, so there is no existence oracle.
   */
  private Optional<String> routedTenant(String path, String tenantOfCredential) {
    Optional<String> routed = path.length() > 1
        ? gateway.routes.tenantOf(path.substring(1)) : Optional.empty();
    return tenantOfCredential == null ? routed : routed.filter(tenantOfCredential::equals);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path,
      String tenantOfCredential, String host) {
    Optional<String> routed = routedTenant(path, tenantOfCredential);
    if (routed.isEmpty()) {
      reject(ctx, request, HttpResponseStatus.NOT_FOUND, "Not Found: unknown target");
      return;
    }
    String tenantId = routed.get();
    String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (!"13".equals(version)) {
      // RFC 6455 4.4: name the version we speak. Every DevTools client sends 13.
      FullHttpResponse response = HttpResponses.text(HttpResponseStatus.UPGRADE_REQUIRED,
          "Upgrade Required: Sec-WebSocket-Version must be 13, was " + version);
      response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
      answer(ctx, request, response);
      return;
    }
    if (!isValidKey(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      reject(ctx, request, HttpResponseStatus.BAD_REQUEST, "Bad Request: Sec-WebSocket-Key must"
          + " be 16 random bytes in base64 (RFC 6455 4.1)");
      return;
    }
    if (!gateway.tenantSessions.tryAcquire(tenantId)) {
      reject(ctx, request, HttpResponseStatus.TOO_MANY_REQUESTS, "Too Many Requests:"
          + " maxSessionsPerTenant=" + gateway.tenantSessions.max() + " sessions already open");
      return;
    }
    WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(gateway.config.maxInboundMessageBytes())
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .closeOnProtocolViolation(false) // CdpWebSocketHandler sends the close with our reason
        .build();
    String url = "ws://" + (host == null ? boundHost(ctx) : host) + path;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, decoderConfig).newHandshaker(request);
    CdpWebSocketHandler connection = new CdpWebSocketHandler(gateway, tenantId);
    ctx.pipeline().replace(this, "cdp", connection);
    // Version 13 and a valid key were checked above: the handshake can't throw for them.
    handshaker.handshake(ctx.channel(), request).addListener(done -> {
      if (done.isSuccess()) {
        gateway.config.metrics().httpAnswered(101);
        ctx.pipeline().remove(HandshakeTimeoutHandler.class);
        connection.upgraded();
      } else {
        connection.handshakeFailed();
        ctx.channel().close();
      }
    });
    // Validate UTF-8 across fragments; failures reach CdpWebSocketHandler as close code 1007.
    ctx.pipeline().addAfter("wsdecoder", "utf8", new Utf8FrameValidator(false));
  }

  /** RFC 6455: the key is a base64-encoded 16-byte nonce. */
  private static boolean isValidKey(String key) {
    if (key == null || key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isWebSocketUpgrade(FullHttpRequest request) {
    return request.headers().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)
        && "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
  }

  /** Documents that name no target: served without a credential. */
  private static boolean isPublicDocument(String path) {
    return path.equals("/json/version") || path.equals("/json/protocol");
  }

  private String boundHost(ChannelHandlerContext ctx) {
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    String address = local.getAddress().getHostAddress();
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + local.getPort();
  }

  private void reject(ChannelHandlerContext ctx, FullHttpRequest request,
      HttpResponseStatus status, String message) {
    // The path only: the query may hold a credential.
    log.debug("rejected {} {} from {}: {} {}", request == null ? "-" : request.method(),
        request == null ? "-" : new QueryStringDecoder(request.uri()).path(),
        ctx.channel().remoteAddress(), status.code(), message);
    answer(ctx, request, HttpResponses.text(status, message));
  }

  private void answer(ChannelHandlerContext ctx, FullHttpRequest request,
      FullHttpResponse response) {
    gateway.config.metrics().httpAnswered(response.status().code());
    HttpResponses.send(ctx, request, response);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
