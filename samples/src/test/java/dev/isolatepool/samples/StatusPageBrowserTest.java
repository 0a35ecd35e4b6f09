package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the status page in real headless Chromium (driven by playwright-core) against a real
 * demo (real pool, real gateway) and checks that it shows the tenants, their DevTools URLs, and
 * picks up a newly deployed tenant without a reload.
 */
class StatusPageBrowserTest {

  @Test
  void statusPageShowsTenantsAndRefreshesLive(@TempDir Path tmp) throws Exception {
    Path chromium = ExternalTools.requireChromium();
    Path modules = ExternalTools.requireNpmPackage("playwright-core");
    Path script = Path.of(StatusPageBrowserTest.class.getResource("/status-page-check.cjs").toURI());

    try (DemoPlatform demo = DemoPlatform.start(new DemoOptions(0, 0, 3, true))) {
      List<String> command = new ArrayList<>(List.of("node", script.toString(),
          modules.toString(), chromium.toString(), Files.createDirectory(tmp.resolve("profile"))
              .toString(), "http://127.0.0.1:" + demo.httpPort(), "acme", "globex", "initech"));
      Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
      TextCollector out = new TextCollector("status-page-check", node.getInputStream());
      Matcher result = out.await("RESULT (\\{.*\\})\\n", Duration.ofSeconds(120));
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not exit:\n" + out.text());
      assertEquals(0, node.exitValue(), out.text());

      JsonNode doc = HttpJson.MAPPER.readTree(result.group(1));
      assertEquals("isolate-pool demo", doc.get("title").asText());
      assertEquals(0, doc.get("consoleErrors").size(), doc.get("consoleErrors").toString());
      List<String> tenants = new ArrayList<>();
      for (JsonNode row : doc.get("rows")) {
        tenants.add(row.get("tenant").asText());
        String url = row.get("devtoolsUrl").asText();
        assertTrue(url.startsWith("devtools://devtools/bundled/js_app.html?"), url);
        assertTrue(url.contains("ws=127.0.0.1:" + demo.gatewayPort() + "/"), url);
        assertTrue(row.get("webSocketUrl").asText()
            .startsWith("ws://127.0.0.1:" + demo.gatewayPort() + "/"), row.toString());
        assertTrue(row.get("text").asText().contains("file:///tenants/"), row.toString());
      }
      assertEquals(List.of("acme", "globex", "initech"), tenants.subList(0, 3));
      assertTrue(doc.get("workers").asInt() >= 3, doc.toString());
      assertTrue(doc.get("sawLateTenant").asBoolean());
    }
  }
}
