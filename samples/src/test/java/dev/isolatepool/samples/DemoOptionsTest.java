package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaults() throws Exception {
    DemoOptions options = DemoOptions.parse();
    assertEquals(new DemoOptions(9229, 8080, 3, true), options);
    assertEquals(DemoOptions.defaults(), options);
  }

  @Test
  void everyFlagInBothSpellings() throws Exception {
    assertEquals(new DemoOptions(9300, 8181, 5, false),
        DemoOptions.parse("--gateway-port", "9300", "--http-port", "8181", "--tenants", "5",
            "--no-traffic"));
    assertEquals(new DemoOptions(0, 0, 0, true),
        DemoOptions.parse("--gateway-port=0", "--http-port=0", "--tenants=0"));
  }

  @Test
  void badValuesNameTheFlag() {
    assertMessage("--gateway-port must be between 0 and 65535, was: 70000",
        "--gateway-port", "70000");
    assertMessage("--http-port must be a whole number between 0 and 65535, was: 'http'",
        "--http-port", "http");
    assertMessage("--tenants must be between 0 and " + BuiltInTenants.MAX + ", was: -1",
        "--tenants=-1");
    assertMessage("--tenants must be between 0 and " + BuiltInTenants.MAX + ", was: 99",
        "--tenants", "99");
    assertMessage("--tenants needs a value", "--tenants");
    assertMessage("--tenants needs a value", "--tenants", "--no-traffic");
    assertMessage("--no-traffic takes no value, was: --no-traffic=yes", "--no-traffic=yes");
    assertMessage("unknown flag: --verbose", "--verbose");
    assertMessage("unknown flag: 8080", "8080");
    assertMessage("--http-port was given more than once", "--http-port", "1", "--http-port=2");
    assertMessage("--gateway-port and --http-port must differ, both were 9000",
        "--gateway-port", "9000", "--http-port", "9000");
  }

  @Test
  void helpIsNotAnError() {
    assertThrows(DemoOptions.HelpRequested.class, () -> DemoOptions.parse("--help"));
    assertTrue(DemoOptions.USAGE.contains("--gateway-port"));
    assertTrue(DemoOptions.USAGE.contains("--no-traffic"));
  }

  @Test
  void builtInTenantsHaveDistinctScriptUrlsAndRealHandlers() {
    var tenants = BuiltInTenants.first(BuiltInTenants.MAX);
    assertEquals(BuiltInTenants.MAX,
        tenants.stream().map(BuiltInTenants.Tenant::scriptUrl).distinct().count());
    assertEquals("file:///tenants/acme/handler.js", tenants.get(0).scriptUrl());
    for (var tenant : tenants) {
      String source = tenant.source();
      assertTrue(source.contains("function handle(request)"), tenant.id());
      assertTrue(source.contains("const TENANT = \"" + tenant.id() + "\""), tenant.id());
      assertFalse(source.contains("{{"), tenant.id());
      String[] lines = source.split("\n");
      int line = tenant.handler().breakpointLine();
      assertTrue(lines.length >= line && lines[line - 1].trim().length() > 3,
          tenant.id() + ": breakpoint line " + line + " must be a statement");
    }
  }

  private static void assertMessage(String expected, String... args) {
    DemoOptions.UsageException e =
        assertThrows(DemoOptions.UsageException.class, () -> DemoOptions.parse(args));
    assertEquals(expected, e.getMessage());
  }
}
