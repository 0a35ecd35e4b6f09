package dev.isolatepool.gateway;

import java.util.Optional;

/**
 * The embedding platform's credential check for {@link GatewayMode#MULTI_TENANT}. The platform
 * issues each tenant's developers a credential (a bearer token); the gateway asks this SPI which
 * tenant a presented credential belongs to. HTTP discovery presents it as
 * {@code Authorization: Bearer <credential>} (or a {@code token} query parameter); the WebSocket
 * URL carries it as a {@code token} query parameter, because DevTools front ends can't set
 * headers.
 *
 * <p><b>Thread contract.</b> Called on a Netty event-loop thread, possibly concurrently from
 * several. It must be fast, thread-safe and must not block (no remote calls, no locks held for
 * long): verify a signature or look up a local table. Compare secrets in constant time.
 * {@link TokenAuthorizer} is a ready implementation.
 */
@FunctionalInterface
public interface TenantAuthorizer {

  /**
   * Returns the tenant this credential was issued for, or empty if it is not valid. Must not
   * throw for malformed input.
   *
   * @param credential the presented credential, never null, at most a few KiB
   */
  Optional<String> tenantOf(String credential);
}
