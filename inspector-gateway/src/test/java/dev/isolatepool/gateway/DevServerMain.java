package dev.isolatepool.gateway;

import dev.isolatepool.pool.IsolatePool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A pool with tenants {@code alpha} and {@code beta} behind a local-development gateway, for
 * trying clients by hand: {@code java -cp <test classpath> dev.isolatepool.gateway.DevServerMain
 * [port] [allowedOrigin...]}. Type a tenant name to run {@code handle({x: 21})} for it (hits
 * breakpoints); end stdin to stop.
 */
public final class DevServerMain {
  private DevServerMain() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9229;
    String[] origins = args.length > 1
        ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0];
    try (IsolatePool pool = Fixtures.pool(3);
        InspectorGateway gateway = InspectorGateway.builder(pool).port(port)
            .allowedOrigins(origins).build().start()) {
      Fixtures.deploy(pool, "alpha");
      Fixtures.deploy(pool, "beta");
      System.out.println("GATEWAY " + gateway.port() + " " + gateway.webSocketUrl("alpha"));
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String tenant = line.trim();
        if (!tenant.isEmpty()) {
          pool.call(tenant, "handle", "[{\"x\":21}]").whenComplete((r, e) ->
              System.out.println("CALL " + tenant + " -> " + (e == null ? r : e)));
        }
      }
    }
  }
}
