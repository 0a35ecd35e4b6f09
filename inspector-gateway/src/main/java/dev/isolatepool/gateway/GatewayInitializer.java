package dev.isolatepool.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of a new connection: handshake timeout, HTTP codec, aggregation of the (small)
 * request, then {@link HttpRequestHandler}, which replaces itself with a
 * {@link CdpWebSocketHandler} on upgrade.
 */
final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
  /** Discovery requests are GETs; nothing legitimate needs a larger body. */
  private static final int MAX_REQUEST_BODY = 8 * 1024;

  private final GatewayContext gateway;

  GatewayInitializer(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    gateway.channels.add(channel);
    channel.pipeline()
        .addLast("timeout", new HandshakeTimeoutHandler(gateway.config.handshakeTimeout()))
        .addLast("http", new HttpServerCodec())
        .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BODY))
        .addLast("request", new HttpRequestHandler(gateway));
  }
}
