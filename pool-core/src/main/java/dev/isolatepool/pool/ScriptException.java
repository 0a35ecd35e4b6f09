package dev.isolatepool.pool;

/** Tenant JavaScript threw, or did not compile. Carries V8's message and source position. */
public final class ScriptException extends PoolException {
  private final String resourceName;
  private final int lineNumber;
  private final boolean syntaxError;

  public ScriptException(String message, String resourceName, int lineNumber, boolean syntaxError,
      Throwable cause) {
    super(message + (resourceName == null ? "" : " (" + resourceName + ":" + lineNumber + ")"),
        cause);
    this.resourceName = resourceName;
    this.lineNumber = lineNumber;
    this.syntaxError = syntaxError;
  }

  /** The script URL V8 reported, or null. */
  public String resourceName() {
    return resourceName;
  }

  /** 1-based line number, or 0 when unknown. */
  public int lineNumber() {
    return lineNumber;
  }

  /** Whether the script failed to compile (as opposed to throwing while it ran). */
  public boolean isSyntaxError() {
    return syntaxError;
  }
}
