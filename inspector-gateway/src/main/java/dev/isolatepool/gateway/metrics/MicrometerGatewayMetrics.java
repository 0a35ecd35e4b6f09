package dev.isolatepool.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * Micrometer binding of {@link GatewayMetrics}. Meter names are
 * {@code isolatepool.gateway.<thing>}, tagged {@code gateway=<name>}:
 * {@code http.responses} (tag {@code status}), {@code websockets.opened},
 * {@code websockets.closed} (tag {@code code}), {@code websockets.open} (gauge) and
 * {@code messages} (tag {@code direction}: {@code in} or {@code out}). Micrometer is an optional
 * dependency: only this class needs it.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {
  private final MeterRegistry registry;
  private final String gateway;
  private final Counter opened;
  private final Counter received;
  private final Counter sent;

  public MicrometerGatewayMetrics(MeterRegistry registry, String gatewayName) {
    this.registry = registry;
    this.gateway = gatewayName;
    opened = Counter.builder("isolatepool.gateway.websockets.opened").tag("gateway", gateway)
        .register(registry);
    received = Counter.builder("isolatepool.gateway.messages").tag("gateway", gateway)
        .tag("direction", "in").register(registry);
    sent = Counter.builder("isolatepool.gateway.messages").tag("gateway", gateway)
        .tag("direction", "out").register(registry);
  }

  @Override
  public void bind(IntSupplier openWebSockets) {
    Gauge.builder("isolatepool.gateway.websockets.open", openWebSockets::getAsInt)
        .tag("gateway", gateway).register(registry);
  }

  @Override
  public void httpAnswered(int status) {
    registry.counter("isolatepool.gateway.http.responses", "gateway", gateway,
        "status", Integer.toString(status)).increment();
  }

  @Override
  public void webSocketOpened() {
    opened.increment();
  }

  @Override
  public void webSocketClosed(int closeCode) {
    registry.counter("isolatepool.gateway.websockets.closed", "gateway", gateway,
        "code", Integer.toString(closeCode)).increment();
  }

  @Override
  public void messageReceived() {
    received.increment();
  }

  @Override
  public void messagesSent(int count) {
    sent.increment(count);
  }
}
