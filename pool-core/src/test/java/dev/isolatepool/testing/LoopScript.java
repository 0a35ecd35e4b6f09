package dev.isolatepool.testing;

/** The tenant script the pause tests break in: {@code work(n)} loops n times. */
public final class LoopScript {
  /** The 0-based line inside the loop, where the tests set their breakpoint. */
  public static final int BREAK_LINE = 3;
  public static final String SOURCE = String.join("\n",
      "function work(n) {",
      "  let acc = 0;",
      "  for (let i = 0; i < n; i++) {",
      "    acc += i;", // BREAK_LINE
      "  }",
      "  return acc;",
      "}");

  private LoopScript() {}
}
