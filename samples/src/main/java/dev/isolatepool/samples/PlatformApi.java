package dev.isolatepool.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.WorkerInfo;
import dev.isolatepool.pool.WorkerState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin platform's REST API under {@code /tenants}:
 *
 * <pre>
 * GET    /tenants               list tenants with worker, state, heap, sessions, lease age
 * GET    /tenants/{id}          one tenant
 * PUT    /tenants/{id}/script   deploy a handler (JavaScript defining handle(request))
 * POST   /tenants/{id}/invoke   call handle(body) and return {"tenant":..,"result":..}
 * DELETE /tenants/{id}          evict the tenant's isolate (its script stays deployed);
 *                               a call paused at a breakpoint (or any, with ?force=true) is
 *                               cut short; 202 if the teardown still waits for a call
 * </pre>
 *
 * <p>Thread contract: {@link #handle} runs on the HTTP executor. It validates the request,
 * starts one asynchronous pool operation and returns; the response is written by a callback
 * that {@code whenCompleteAsync} moves back onto the HTTP executor, so a pool worker thread
 * never writes to a socket and no HTTP thread waits on V8.
 */
final class PlatformApi implements HttpHandler {
  static final int MAX_SCRIPT_BYTES = 256 * 1024;
  static final int MAX_REQUEST_BYTES = 64 * 1024;
  static final Set<String> SCRIPT_TYPES =
      Set.of("application/javascript", "text/javascript", "text/plain");
  static final Set<String> JSON_TYPES = Set.of("application/json");
  /** How long DELETE waits for the teardown before it answers 202 Accepted. */
  static final long EVICT_WAIT_MILLIS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(PlatformApi.class);

  private final IsolatePool pool;
  private final TenantRegistry registry;
  private final DebugLinks.Source debugLinks;
  private final Executor httpExecutor;

  PlatformApi(IsolatePool pool, TenantRegistry registry, DebugLinks.Source debugLinks,
      Executor httpExecutor) {
    this.pool = pool;
    this.registry = registry;
    this.debugLinks = debugLinks;
    this.httpExecutor = httpExecutor;
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      HttpJson.requireLoopbackHost(exchange);
      route(exchange);
    } catch (ApiError error) {
      HttpJson.sendError(exchange, error);
    } catch (IOException e) {
      LOG.debug("reading a request failed: {}", e.toString());
      exchange.close();
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      HttpJson.sendError(exchange, ErrorMapping.toApiError(e, ErrorMapping.Operation.OTHER));
    }
  }

  private void route(HttpExchange exchange) throws ApiError, IOException {
    String method = exchange.getRequestMethod();
    String[] parts = exchange.getRequestURI().getRawPath().split("/", -1);
    // parts[0] is "" and parts[1] is "tenants" (the context also matches "/tenantsXYZ")
    if (!parts[1].equals("tenants")) {
      throw ApiError.notFound("no such resource: " + exchange.getRequestURI().getRawPath());
    }
    if (parts.length == 2 || (parts.length == 3 && parts[2].isEmpty())) {
      requireMethod(exchange, "GET");
      HttpJson.sendJson(exchange, 200, Map.of("tenants", listTenants()));
      return;
    }
    String tenantId = TenantRegistry.requireValidId(parts[2]);
    if (parts.length == 3) {
      switch (method) {
        case "GET" -> HttpJson.sendJson(exchange, 200, describe(requireKnown(tenantId)));
        case "DELETE" -> evict(exchange, requireKnown(tenantId), forceParameter(exchange));
        default -> throw methodNotAllowed(exchange, "GET, DELETE");
      }
      return;
    }
    if (parts.length == 4 && parts[3].equals("script")) {
      requireMethod(exchange, "PUT");
      deploy(exchange, tenantId);
      return;
    }
    if (parts.length == 4 && parts[3].equals("invoke")) {
      requireMethod(exchange, "POST");
      invoke(exchange, requireKnown(tenantId));
      return;
    }
    throw ApiError.notFound("no such resource: " + exchange.getRequestURI().getRawPath()
        + " (see GET /tenants, PUT /tenants/{id}/script, POST /tenants/{id}/invoke,"
        + " DELETE /tenants/{id})");
  }

  private void deploy(HttpExchange exchange, String tenantId) throws ApiError, IOException {
    HttpJson.requireContentType(exchange, SCRIPT_TYPES);
    String source = HttpJson.readUtf8Body(exchange, MAX_SCRIPT_BYTES, "maxScriptBytes");
    if (source.isBlank()) {
      throw ApiError.badRequest("empty_script",
          "script is empty; send JavaScript that defines function handle(request)")
          .with("field", "script");
    }
    String scriptUrl = TenantRegistry.scriptUrlOf(tenantId);
    CompletableFuture<String> deployed = pool.deploy(tenantId, scriptUrl, source)
        .thenCompose(ignored -> pool.evaluate(tenantId, "typeof handle"));
    deployed.whenCompleteAsync((handleType, failure) -> {
      ApiError error = null;
      if (failure != null) {
        error = ErrorMapping.toApiError(failure, ErrorMapping.Operation.DEPLOY);
      } else if (!"\"function\"".equals(handleType)) {
        error = new ApiError(422, "handler_missing",
            "script must define a global function handle(request); typeof handle is "
                + handleType).with("field", "script").with("scriptUrl", scriptUrl);
      }
      if (error != null) {
        if (registry.get(tenantId).isEmpty()) {
          // A tenant that never deployed successfully gets no lease and no remembered script.
          pool.removeTenant(tenantId);
        }
        HttpJson.sendError(exchange, error);
      } else {
        boolean created = registry.deployed(tenantId, false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenantId);
        body.put("scriptUrl", scriptUrl);
        body.put("created", created);
        debugLinks.forTenant(tenantId).ifPresent(links -> body.put("debug", links));
        HttpJson.sendJson(exchange, created ? 201 : 200, body);
      }
    }, httpExecutor);
  }

  private void invoke(HttpExchange exchange, TenantRegistry.Tenant tenant)
      throws ApiError, IOException {
    HttpJson.requireContentType(exchange, JSON_TYPES);
    String body = HttpJson.readUtf8Body(exchange, MAX_REQUEST_BYTES, "maxRequestBytes");
    JsonNode request;
    try {
      request = HttpJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("bad_json", "request body is not valid JSON: "
          + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")").with("field", "body");
    }
    if (request == null || request.isMissingNode()) {
      throw ApiError.badRequest("bad_json", "request body is empty; send a JSON value")
          .with("field", "body");
    }
    // Re-serialised, never spliced: the body must become exactly one argument.
    String args = "[" + HttpJson.MAPPER.writeValueAsString(request) + "]";
    pool.call(tenant.id(), "handle", args).whenCompleteAsync((resultJson, failure) -> {
      tenant.recordInvocation(failure);
      if (failure != null) {
        HttpJson.sendError(exchange,
            ErrorMapping.toApiError(failure, ErrorMapping.Operation.INVOKE));
        return;
      }
      ObjectNode response = HttpJson.MAPPER.createObjectNode();
      response.put("tenant", tenant.id());
      response.putRawValue("result", new RawValue(resultJson));
      HttpJson.sendJson(exchange, 200, response);
    }, httpExecutor);
  }

  /**
   * Evicts the tenant's isolate. A call in progress normally finishes first (after
   * {@link #EVICT_WAIT_MILLIS} the answer is 202 and the teardown completes when the call ends).
   * A call stopped at a breakpoint, or any call with {@code ?force=true}, is cut short instead:
   * its caller gets 503 {@code worker_retired}. (Forcing must be decided up front: pool-core
   * cannot escalate an eviction that is already waiting.)
   */
  private void evict(HttpExchange exchange, TenantRegistry.Tenant tenant, boolean forceParam) {
    Optional<WorkerInfo> worker = pool.workerOfTenant(tenant.id());
    boolean paused = worker.map(w -> w.state() == WorkerState.PAUSED).orElse(false);
    boolean force = forceParam || paused;
    registry.recordEviction(tenant);
    // A dependent future, so our timeout never completes the pool's own future.
    pool.evict(tenant.id(), force)
        .thenApply(ignored -> Boolean.TRUE)
        .completeOnTimeout(Boolean.FALSE, EVICT_WAIT_MILLIS, TimeUnit.MILLISECONDS)
        .whenCompleteAsync((done, failure) -> {
          if (failure != null) {
            HttpJson.sendError(exchange,
                ErrorMapping.toApiError(failure, ErrorMapping.Operation.OTHER));
            return;
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("tenant", tenant.id());
          body.put("evicted", worker.isPresent());
          body.put("forced", force);
          body.put("completed", done);
          body.put("note", done
              ? "the isolate is torn down and its debugger sessions detached; the script stays"
                  + " deployed and the next invocation gets a fresh isolate"
              : "the teardown waits for the tenant's running call and completes when that"
                  + " call ends");
          HttpJson.sendJson(exchange, done ? 200 : 202, body);
        }, httpExecutor);
  }

  /** The {@code force} query parameter of DELETE: absent, {@code true} or {@code false}. */
  private static boolean forceParameter(HttpExchange exchange) throws ApiError {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null || query.isEmpty()) {
      return false;
    }
    return switch (query) {
      case "force=true", "force" -> true;
      case "force=false" -> false;
      default -> throw ApiError.badRequest("bad_query",
          "the only query parameter is force=true|false, was: " + query).with("field", "force");
    };
  }

  List<Map<String, Object>> listTenants() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (TenantRegistry.Tenant tenant : registry.all()) {
      list.add(describe(tenant));
    }
    return list;
  }

  /** One tenant as JSON: the registry's record joined with the pool's view of its worker. */
  Map<String, Object> describe(TenantRegistry.Tenant tenant) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("tenant", tenant.id());
    row.put("builtIn", tenant.builtIn());
    row.put("scriptUrl", tenant.scriptUrl());
    WorkerInfo worker = pool.workerOfTenant(tenant.id()).orElse(null);
    row.put("worker", worker == null ? null : worker.contextGroupId());
    row.put("state", worker == null ? "NO_WORKER" : worker.state().name());
    row.put("heapUsedBytes", worker == null || worker.heapUsedBytes() < 0 ? null
        : worker.heapUsedBytes());
    row.put("sessions", worker == null ? 0 : worker.sessions());
    row.put("leaseAgeMillis", worker == null || worker.leasedAtMillis() <= 0 ? null
        : Math.max(0, System.currentTimeMillis() - worker.leasedAtMillis()));
    row.put("invocations", tenant.invocations());
    row.put("failures", tenant.failures());
    row.put("evictions", tenant.evictions());
    row.put("lastError", tenant.lastError());
    row.put("debug", debugLinks.forTenant(tenant.id()).orElse(null));
    return row;
  }

  private TenantRegistry.Tenant requireKnown(String tenantId) throws ApiError {
    return registry.get(tenantId).orElseThrow(() -> ApiError.notFound("tenant '" + tenantId
        + "' has no handler; deploy one with PUT /tenants/" + tenantId + "/script")
        .with("field", "tenantId"));
  }

  private static void requireMethod(HttpExchange exchange, String allowed) throws ApiError {
    if (!exchange.getRequestMethod().equals(allowed)) {
      throw methodNotAllowed(exchange, allowed);
    }
  }

  private static ApiError methodNotAllowed(HttpExchange exchange, String allowed) {
    exchange.getResponseHeaders().set("Allow", allowed);
    return new ApiError(405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on "
        + exchange.getRequestURI().getRawPath() + "; allowed: " + allowed).with("field", "method");
  }
}
