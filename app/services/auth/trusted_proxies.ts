import proxyAddr from 'proxy-addr'

/** Decides whether the peer at `address` (hop `hop`) may speak for the client. */
export type TrustProxyFn = (address: string, hop: number) => boolean

/**
 * Compiles TRUSTED_PROXIES (addresses or CIDR ranges separated by commas or
 * spaces, e.g. `10.0.0.5/32, 10.1.0.0/16`; proxy-addr's `loopback`,
 * `linklocal` and `uniquelocal` also work) into the function AdonisJS's
 * `http.trustProxy` expects.
 *
 * Empty or unset means no proxy is trusted: X-Forwarded-For is ignored and
 * `request.ip()` is the peer address of the connection, so a client cannot
 * choose its IP to get past the login throttle, the /voice limit or the
 * audit log. A malformed entry stops the server at start-up.
 */
export function compileTrustedProxies(list: string | undefined | null): TrustProxyFn {
  const entries = parseTrustedProxies(list)
  try {
    return proxyAddr.compile(entries)
  } catch (error) {
    throw new Error(
      `TRUSTED_PROXIES: ${(error as Error).message} (expected addresses or CIDR ranges separated by commas)`
    )
  }
}

/** The entries of a TRUSTED_PROXIES value, trimmed, without empty ones. */
export function parseTrustedProxies(list: string | undefined | null): string[] {
  return (list ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
}
