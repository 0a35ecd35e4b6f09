package dev.isolatepool.gateway;

import dev.isolatepool.pool.IsolatePool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DevTools endpoint for the tenants of an {@link IsolatePool}: an HTTP + WebSocket server
 * that serves Node-style discovery ({@code /json}, {@code /json/list}, {@code /json/version},
 * {@code /json/protocol}) and relays each WebSocket's CDP messages to an inspector session on
 * the tenant's isolate. It owns no V8 state: sessions are opened and closed through the pool.
 *
 * <pre>{@code
 * InspectorGateway gateway = InspectorGateway.builder(pool).port(9229).build().start();
 * String url = gateway.webSocketUrl("tenant-a"); // ws://127.0.0.1:9229/<route>
 * ...
 * gateway.close();
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #start()} and {@link #close()} block the caller (binding, and
 * closing every connection) and must not be called on the gateway's own event loop. Other
 * methods may be called from any thread. The event-loop threads are daemon threads: a running
 * gateway does not keep the JVM alive.
 */
public final class InspectorGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InspectorGateway.class);
  private static final long STOP_WAIT_MILLIS = 3_000;

  private enum State { NEW, STARTED, STOPPED }

  private final GatewayContext gateway;
  private State state = State.NEW;
  private EventLoopGroup loops;
  private volatile boolean nativeTransport;
  private Channel serverChannel;
  private volatile InetSocketAddress boundAddress;

  InspectorGateway(GatewayConfig config, IsolatePool pool) {
    this.gateway = new GatewayContext(config, pool,
        new DefaultChannelGroup("inspector-gateway", GlobalEventExecutor.INSTANCE));
  }

  /** The front door: a validated builder over the pool whose tenants this gateway serves. */
  public static InspectorGatewayBuilder builder(IsolatePool pool) {
    return new InspectorGatewayBuilder(pool);
  }

  /**
   * Binds the address and starts serving.
   *
   * @throws IllegalStateException if already started or closed, or if the address can't be bound
   */
  public synchronized InspectorGateway start() {
    if (state != State.NEW) {
      throw new IllegalStateException("the gateway can be started once; it is " + state);
    }
    GatewayConfig config = gateway.config;
    nativeTransport = config.nativeTransport() && Epoll.isAvailable();
    DefaultThreadFactory threads = new DefaultThreadFactory("inspector-gateway", true);
    loops = nativeTransport ? new EpollEventLoopGroup(config.ioThreads(), threads)
        : new NioEventLoopGroup(config.ioThreads(), threads);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops)
        .channel(nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new GatewayInitializer(gateway));
    ChannelFuture bound = bootstrap.bind(config.bindAddress(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      state = State.STOPPED;
      throw new IllegalStateException("could not bind the inspector gateway to "
          + config.bindAddress() + ":" + config.port() + ": " + bound.cause(), bound.cause());
    }
    serverChannel = bound.channel();
    boundAddress = (InetSocketAddress) serverChannel.localAddress();
    config.metrics().bind(gateway.connections::size);
    state = State.STARTED;
    log.info("inspector gateway listening on {} ({} mode, {} transport)", hostAndPort(),
        config.mode(), transport());
    return this;
  }

  /** The bound address; the real port when built with {@code port(0)}. */
  public InetSocketAddress address() {
    InetSocketAddress address = boundAddress;
    if (address == null) {
      throw new IllegalStateException("the gateway is not started");
    }
    return address;
  }

  /**
   * The socket transport in use: {@code "epoll"} (Linux's native one, the default where it
   * loads) or {@code "nio"} (the JDK's, elsewhere or with {@code nativeTransport(false)}).
   */
  public String transport() {
    return nativeTransport ? "epoll" : "nio";
  }

  /** The bound port. */
  public int port() {
    return address().getPort();
  }

  public GatewayMode mode() {
    return gateway.config.mode();
  }

  /**
   * The tenant's stable WebSocket URL, {@code ws://HOST:PORT/ROUTE}. The route is created on
   * first use and stays the tenant's for the gateway's lifetime, across evictions and recycles.
   * In {@link GatewayMode#MULTI_TENANT} mode, use {@link #webSocketUrl(String, String)}.
   */
  public String webSocketUrl(String tenantId) {
    return webSocketUrl(tenantId, null);
  }

  /**
   * The tenant's stable WebSocket URL carrying a credential as its {@code token} parameter, as
   * DevTools front ends need in multi-tenant mode ({@code credential} may be null).
   */
  public String webSocketUrl(String tenantId, String credential) {
    if (tenantId == null || tenantId.isEmpty()) {
      throw new IllegalArgumentException("tenantId must be non-empty, was: " + tenantId);
    }
    return "ws://" + hostAndPort() + gateway.discovery.targetPath(tenantId, credential);
  }

  /** WebSocket connections currently upgraded (their sessions open or opening). */
  public int openConnections() {
    return gateway.connections.size();
  }

  /**
   * Stops accepting, ends every WebSocket with close code 1001 (their inspector sessions are
   * closed through the pool), closes the remaining connections and stops the event loops.
   * Idempotent. Does not close the pool.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state != State.STARTED) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPED;
    }
    for (EventExecutor loop : loops) {
      if (loop.inEventLoop()) {
        throw new IllegalStateException("close() must not be called on a gateway event loop");
      }
    }
    serverChannel.close().awaitUninterruptibly();
    gateway.connections.forEach(CdpWebSocketHandler::goingAway);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
    while (!gateway.connections.isEmpty() && System.nanoTime() < deadline) {
      sleepQuietly();
    }
    gateway.channels.close().awaitUninterruptibly(STOP_WAIT_MILLIS);
    loops.shutdownGracefully(0, STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(STOP_WAIT_MILLIS * 2);
    log.info("inspector gateway on {} stopped", hostAndPort());
  }

  private String hostAndPort() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
