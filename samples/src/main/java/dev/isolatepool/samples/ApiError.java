package dev.isolatepool.samples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON error response: {@code {"error":{"status":..,"code":..,"message":..,...details}}}.
 * The {@code code} is stable and machine-readable; the message names the field or limit.
 * Thrown as an exception by request validation; {@link HttpJson#sendError} renders it.
 */
final class ApiError extends Exception {
  private final int status;
  private final String code;
  private final Map<String, Object> details = new LinkedHashMap<>();

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** Adds a detail such as {@code field}, {@code limit} or {@code line}; null values are left out. */
  ApiError with(String key, Object value) {
    if (value != null) {
      details.put(key, value);
    }
    return this;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** The body's {@code error} object. */
  Map<String, Object> toJson() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("status", status);
    error.put("code", code);
    error.put("message", getMessage());
    error.putAll(details);
    return Map.of("error", error);
  }

  static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }
}
