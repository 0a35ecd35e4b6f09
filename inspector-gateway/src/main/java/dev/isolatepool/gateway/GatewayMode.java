package dev.isolatepool.gateway;

/** Who may discover and attach to targets. See the module README's security model. */
public enum GatewayMode {
  /**
   * Like {@code node --inspect}: {@code /json} lists every target and no credential is needed.
   * Only allowed on a loopback bind address.
   */
  LOCAL_DEVELOPMENT,
  /**
   * Discovery and connection need a per-tenant credential checked by a {@link TenantAuthorizer};
   * a request without a valid one learns no target id or URL.
   */
  MULTI_TENANT
}
