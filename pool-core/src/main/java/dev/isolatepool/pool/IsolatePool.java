package dev.isolatepool.pool;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.InspectorSession;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** API outline; the implementation lands in the next commit. */
public final class IsolatePool implements AutoCloseable {
  IsolatePool(PoolConfig config) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public static IsolatePoolBuilder builder() {
    return new IsolatePoolBuilder();
  }

  public CompletableFuture<Void> deploy(String tenantId, String scriptUrl, String source) {
    return deploy(tenantId, scriptUrl, source, false);
  }

  public CompletableFuture<Void> deploy(String tenantId, String scriptUrl, String source,
      boolean waitForDebugger) {
    throw new UnsupportedOperationException();
  }

  public CompletableFuture<String> evaluate(String tenantId, String source) {
    throw new UnsupportedOperationException();
  }

  public CompletableFuture<String> call(String tenantId, String function, String argsJsonArray) {
    throw new UnsupportedOperationException();
  }

  public CompletableFuture<InspectorSession> openSession(String tenantId, CdpSink sink) {
    throw new UnsupportedOperationException();
  }

  public List<WorkerInfo> workers() {
    throw new UnsupportedOperationException();
  }

  public Optional<WorkerInfo> workerOfTenant(String tenantId) {
    throw new UnsupportedOperationException();
  }

  public Optional<WorkerInfo> worker(int contextGroupId) {
    throw new UnsupportedOperationException();
  }

  public PoolStats stats() {
    throw new UnsupportedOperationException();
  }

  public CompletableFuture<Void> evict(String tenantId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
