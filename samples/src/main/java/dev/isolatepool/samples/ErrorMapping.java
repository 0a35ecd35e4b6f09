package dev.isolatepool.samples;

import dev.isolatepool.pool.Limit;
import dev.isolatepool.pool.LimitExceededException;
import dev.isolatepool.pool.PoolException;
import dev.isolatepool.pool.PoolExhaustedException;
import dev.isolatepool.pool.ScriptException;
import dev.isolatepool.pool.WorkerRetiredException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps pool failures to HTTP errors. The table (also in the README):
 *
 * <pre>
 * failure                                    status  code
 * ScriptException, syntax error (deploy)     400     syntax_error        (message, line, scriptUrl)
 * ScriptException, top level threw (deploy)  422     script_threw        (message, line, scriptUrl)
 * ScriptException, handle() threw (invoke)   500     handler_threw       (message, line, scriptUrl)
 * LimitExceeded TIME_BUDGET                  408     time_budget_exceeded (limit, limitValue, observed)
 * LimitExceeded HEAP_QUOTA                   507     heap_quota_exceeded
 * LimitExceeded MAILBOX_DEPTH                429     mailbox_full
 * LimitExceeded MAX_TENANTS                  503     too_many_tenants
 * LimitExceeded (others)                     503     limit_exceeded
 * PoolExhaustedException                     503     pool_exhausted      (Retry-After advised)
 * WorkerRetiredException                     503     worker_retired      (retry; a fresh isolate)
 * anything else                              500     internal_error
 * </pre>
 *
 * <p>A handler that throws is the tenant's bug, reported as 500 like an application error; the
 * {@code code} tells it apart from a platform failure ({@code internal_error}).
 */
final class ErrorMapping {

  /** Which request the failure came from; only script errors differ between them. */
  enum Operation {
    DEPLOY,
    INVOKE,
    OTHER
  }

  private ErrorMapping() {}

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static ApiError toApiError(Throwable failure, Operation operation) {
    Throwable t = unwrap(failure);
    if (t instanceof ScriptException e) {
      ApiError error;
      if (e.isSyntaxError()) {
        error = new ApiError(400, "syntax_error", "script has a syntax error: " + e.getMessage());
      } else if (operation == Operation.DEPLOY) {
        error = new ApiError(422, "script_threw",
            "script threw while it was loaded: " + e.getMessage());
      } else {
        error = new ApiError(500, "handler_threw", "handle(request) threw: " + e.getMessage());
      }
      return error.with("field", operation == Operation.DEPLOY ? "script" : null)
          .with("line", e.lineNumber() > 0 ? e.lineNumber() : null)
          .with("scriptUrl", e.resourceName());
    }
    if (t instanceof LimitExceededException e) {
      Limit limit = e.limit();
      ApiError error = switch (limit) {
        case TIME_BUDGET -> new ApiError(408, "time_budget_exceeded", e.getMessage());
        case HEAP_QUOTA -> new ApiError(507, "heap_quota_exceeded", e.getMessage());
        case MAILBOX_DEPTH -> new ApiError(429, "mailbox_full", e.getMessage());
        case MAX_TENANTS -> new ApiError(503, "too_many_tenants", e.getMessage());
        default -> new ApiError(503, "limit_exceeded", e.getMessage());
      };
      return error.with("limit", limit.setting()).with("limitValue", e.limitValue())
          .with("unit", limit.unit()).with("observed", e.observed() < 0 ? null : e.observed());
    }
    if (t instanceof PoolExhaustedException e) {
      return new ApiError(503, "pool_exhausted", e.getMessage()).with("limit", "acquireTimeout");
    }
    if (t instanceof WorkerRetiredException e) {
      return new ApiError(503, "worker_retired", e.getMessage() + " (retry the request)");
    }
    if (t instanceof PoolException e) {
      return new ApiError(503, "pool_error", e.getMessage());
    }
    if (t instanceof IllegalStateException e) {
      return new ApiError(503, "unavailable", String.valueOf(e.getMessage()));
    }
    return new ApiError(500, "internal_error", t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  /** A one-line description for logs and the status page. */
  static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
