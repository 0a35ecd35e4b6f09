package dev.isolatepool.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's built-in tenants: real handler scripts, each deployed under its own script URL
 * ({@code file:///tenants/<id>/handler.js}) so a debugger can set breakpoints by URL and line.
 * The handlers are templates in {@code handlers/*.js}; the tenant id is filled in.
 */
final class BuiltInTenants {

  /** Names in the order they are created, which is also the order the gateway lists them. */
  private static final List<String> NAMES = List.of("acme", "globex", "initech", "umbrella",
      "hooli", "stark", "wayne", "wonka", "cyberdyne", "tyrell", "soylent", "oscorp");

  static final int MAX = NAMES.size();

  /** What a built-in tenant's handler does, and what the load generator sends it. */
  enum Handler {
    /** Order pricing; a good breakpoint is line 12 ({@code subtotal += ...}). */
    PRICING("pricing.js", 12),
    /** Word counting; a good breakpoint is line 14 ({@code counts[word] = ...}). */
    TEXT("text.js", 14),
    /** Form validation; a good breakpoint is line 12 ({@code errors.push(...)}). */
    VALIDATE("validate.js", 12);

    private final String resource;
    private final int breakpointLine;

    Handler(String resource, int breakpointLine) {
      this.resource = resource;
      this.breakpointLine = breakpointLine;
    }

    /** A line inside {@code handle} that every sample request executes. */
    int breakpointLine() {
      return breakpointLine;
    }

    /** The n-th request body the load generator sends; varies so the debugger shows change. */
    String sampleRequest(long n) {
      return switch (this) {
        case PRICING -> "{\"orderId\":\"ord-" + n + "\",\"items\":[{\"sku\":\"anvil\",\"price\":"
            + (40 + n % 7 * 30) + ",\"qty\":" + (1 + n % 5) + "},{\"sku\":\"rocket\",\"price\":"
            + "125.5,\"qty\":1}]}";
        case TEXT -> "{\"text\":\"The printer is on fire and the printer is out of paper, "
            + "ticket " + n + "\",\"top\":3}";
        case VALIDATE -> "{\"id\":\"tps-" + n + "\",\"author\":\"peter\",\"pages\":"
            + (n % 4) + ",\"coverSheet\":" + (n % 3 != 0) + "}";
      };
    }

    String source(String tenantId) {
      String path = "handlers/" + resource;
      try (InputStream in = BuiltInTenants.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + path);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8)
            .replace("{{tenant}}", tenantId);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One built-in tenant: its id, handler and script. */
  record Tenant(String id, Handler handler) {
    String scriptUrl() {
      return TenantRegistry.scriptUrlOf(id);
    }

    String source() {
      return handler.source(id);
    }
  }

  private BuiltInTenants() {}

  /** The first {@code count} built-in tenants; the handlers rotate through the three kinds. */
  static List<Tenant> first(int count) {
    if (count < 0 || count > MAX) {
      throw new IllegalArgumentException("tenants must be between 0 and " + MAX + ", was: " + count);
    }
    Handler[] kinds = Handler.values();
    List<Tenant> tenants = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tenants.add(new Tenant(NAMES.get(i), kinds[i % kinds.length]));
    }
    return tenants;
  }
}
