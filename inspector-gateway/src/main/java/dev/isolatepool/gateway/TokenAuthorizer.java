package dev.isolatepool.gateway;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TenantAuthorizer} that issues random bearer tokens, one per tenant, and keeps them in
 * memory. Tokens carry 256 bits from {@link java.security.SecureRandom}. Lookup goes through the
 * SHA-256 of the presented token and the final comparison is constant-time, so response timing
 * tells an attacker nothing about how close a guess was.
 *
 * <p>Thread-safe; every method may be called from any thread and none blocks.
 */
public final class TokenAuthorizer implements TenantAuthorizer {
  private record Grant(String tenantId, String token) {}

  private final ConcurrentHashMap<String, Grant> byDigest = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> digestByTenant = new ConcurrentHashMap<>();

  /**
   * Issues a new token for the tenant, revoking the tenant's previous one.
   *
   * @return the token: 43 characters of base64url
   */
  public String issue(String tenantId) {
    if (tenantId == null || tenantId.isEmpty()) {
      throw new IllegalArgumentException("tenantId must be non-empty, was: " + tenantId);
    }
    String token = Secrets.randomId();
    String digest = Secrets.digest(token);
    byDigest.put(digest, new Grant(tenantId, token));
    String previous = digestByTenant.put(tenantId, digest);
    if (previous != null) {
      byDigest.remove(previous);
    }
    return token;
  }

  /** Revokes the tenant's token. Open connections stay open; new ones are refused. */
  public void revoke(String tenantId) {
    String digest = digestByTenant.remove(tenantId);
    if (digest != null) {
      byDigest.remove(digest);
    }
  }

  @Override
  public Optional<String> tenantOf(String credential) {
    if (credential == null || credential.isEmpty() || credential.length() > 512) {
      return Optional.empty();
    }
    Grant grant = byDigest.get(Secrets.digest(credential));
    if (grant == null || !Secrets.constantTimeEquals(grant.token(), credential)) {
      return Optional.empty();
    }
    return Optional.of(grant.tenantId());
  }
}
