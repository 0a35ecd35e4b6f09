package dev.isolatepool.samples.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Keeps the README's embedding example compiling and working. */
class EmbedExampleTest {
  @Test
  void exampleDeploysCallsAndShutsDown() {
    assertEquals("{\"hello\":\"Ada\"}", EmbedExample.run(0));
  }
}
