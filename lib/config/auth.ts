/**
 * Who may call the API: `parseAuthConfig(env)` turns the authentication variables into an
 * {@link AuthConfig} (API keys, Microsoft Entra ID token settings, the demo routes switch) and
 * says what is missing. Production (`requireAuth`) refuses a configuration with no way to
 * authenticate a caller, naming the variables to set. Pure, like `loadConfig`; the server's
 * middleware receives the result.
 *
 * @module
 */
import { envReader } from "./env_reader.ts";

/** How Microsoft Entra ID bearer tokens are validated. */
export interface EntraAuthConfig {
  /** Directory (tenant) id; the default issuer and JWKS URL are derived from it. */
  tenantId?: string;
  /** Accepted `iss` values (CONTOSO_AUTH_ISSUER, default the tenant's v2.0 issuer). */
  issuers: string[];
  /** Accepted `aud` values: the API's application (client) id and/or Application ID URI. */
  audiences: string[];
  /** Where the signing keys are published (CONTOSO_AUTH_JWKS_URL, default the tenant's). */
  jwksUrl: string;
  /** The claim that names the customer a token may act for (CONTOSO_AUTH_CUSTOMER_CLAIM). */
  customerClaim?: string;
  /**
   * The app role (`roles` claim) a token needs to act for any customer, i.e. one that names no
   * customer: the storefront backend's identity is assigned it (CONTOSO_AUTH_SERVICE_ROLE).
   * Unset: any valid token without the customer claim may act for any customer.
   */
  serviceRole?: string;
}

/** Authentication of the HTTP API. */
export interface AuthConfig {
  /**
   * Accepted API keys, in order: CONTOSO_API_KEYS (comma-separated) then CONTOSO_API_KEY.
   * Several at once, so a key is rotated by adding the new one, moving callers, removing the old.
   */
  apiKeys: string[];
  /** Entra ID bearer tokens; absent when not configured. */
  entra?: EntraAuthConfig;
  /**
   * `GET /api/customers` (every customer's id and first name) and the `/chat` demo page are
   * served. On by default in dev, off in production unless CONTOSO_DEMO_ROUTES=true.
   */
  demoRoutes: boolean;
  /** Production: every `/api/*` request must authenticate (loadConfig checks a method exists). */
  required: boolean;
}

/** Options of {@link parseAuthConfig}. */
export interface ParseAuthOptions {
  /** Production mode: an authentication method must be configured. */
  requireAuth?: boolean;
}

/** The variables to set for authentication, as the production error names them. */
export const AUTH_VARIABLES_HINT =
  "set CONTOSO_API_KEYS (comma-separated API keys, kept as Container App secrets) or " +
  "CONTOSO_AUTH_TENANT_ID and CONTOSO_AUTH_AUDIENCE (Microsoft Entra ID bearer tokens), or both";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// An API key is a secret, not a password: short keys are guessable whatever the compare costs.
const MIN_KEY_LENGTH = 16;

/** The v2.0 issuer of a tenant's tokens. */
export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/** Where a tenant publishes its token signing keys. */
export function entraJwksUrl(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
}

/**
 * Parse the authentication variables. Returns the configuration and every problem found (the
 * caller throws them together with the rest of the configuration's).
 *
 * @example
 * ```ts
 * import { parseAuthConfig } from "./auth.ts";
 * const { auth } = parseAuthConfig({ CONTOSO_API_KEYS: "new-key-0123456789,old-key-9876543210" });
 * console.assert(auth.apiKeys.length === 2);
 * ```
 */
export function parseAuthConfig(
  env: Record<string, string | undefined>,
  options: ParseAuthOptions = {},
): { auth: AuthConfig; problems: string[] } {
  const problems: string[] = [];
  const { read, list, flag } = envReader(env, problems);

  const apiKeys = [...new Set([...list("CONTOSO_API_KEYS"), ...list("CONTOSO_API_KEY")])];
  const short = apiKeys.filter((key) => key.length < MIN_KEY_LENGTH).length;
  if (short > 0 && options.requireAuth) {
    // Position only: the key itself must not reach a log.
    problems.push(
      `CONTOSO_API_KEYS / CONTOSO_API_KEY: ${short} key(s) shorter than ${MIN_KEY_LENGTH} characters; ` +
        "use random keys (e.g. `openssl rand -base64 32`)",
    );
  }

  const tenantId = read("CONTOSO_AUTH_TENANT_ID");
  if (tenantId !== undefined && !GUID.test(tenantId)) {
    problems.push(`CONTOSO_AUTH_TENANT_ID must be a directory (tenant) id, got "${tenantId}"`);
  }
  const audiences = list("CONTOSO_AUTH_AUDIENCE");
  const issuerList = list("CONTOSO_AUTH_ISSUER");
  const jwksSetting = read("CONTOSO_AUTH_JWKS_URL");
  const customerClaim = read("CONTOSO_AUTH_CUSTOMER_CLAIM");
  const serviceRole = read("CONTOSO_AUTH_SERVICE_ROLE");

  let entra: EntraAuthConfig | undefined;
  const entraNamed = tenantId !== undefined || audiences.length > 0 || issuerList.length > 0 ||
    jwksSetting !== undefined;
  if (entraNamed) {
    if (audiences.length === 0) {
      problems.push(
        "CONTOSO_AUTH_AUDIENCE is required for Entra ID tokens (the API's application id or Application ID URI)",
      );
    }
    const validTenant = tenantId !== undefined && GUID.test(tenantId) ? tenantId : undefined;
    if (validTenant === undefined && (issuerList.length === 0 || jwksSetting === undefined)) {
      problems.push(
        "CONTOSO_AUTH_TENANT_ID is required for Entra ID tokens (or both CONTOSO_AUTH_ISSUER and CONTOSO_AUTH_JWKS_URL)",
      );
    }
    const jwksUrl = jwksSetting ?? (validTenant ? entraJwksUrl(validTenant) : "");
    if (jwksSetting !== undefined) {
      try {
        const parsed = new URL(jwksSetting);
        const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
        // Keys fetched over plain HTTP could be swapped on the way; only a local test server may.
        if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) {
          throw new Error();
        }
      } catch {
        problems.push(`CONTOSO_AUTH_JWKS_URL must be an https URL, got "${jwksSetting}"`);
      }
    }
    entra = {
      tenantId: validTenant,
      issuers: issuerList.length > 0 ? issuerList : validTenant ? [entraIssuer(validTenant)] : [],
      audiences,
      jwksUrl,
      ...(customerClaim ? { customerClaim } : {}),
      ...(serviceRole ? { serviceRole } : {}),
    };
  } else if (customerClaim !== undefined || serviceRole !== undefined) {
    problems.push(
      "CONTOSO_AUTH_CUSTOMER_CLAIM and CONTOSO_AUTH_SERVICE_ROLE apply to Entra ID tokens: " +
        "set CONTOSO_AUTH_TENANT_ID and CONTOSO_AUTH_AUDIENCE too",
    );
  }

  const demoRoutes = flag("CONTOSO_DEMO_ROUTES") ?? !options.requireAuth;

  if (options.requireAuth && apiKeys.length === 0 && !entraNamed) {
    problems.push(`Authentication is required in production: ${AUTH_VARIABLES_HINT}`);
  }

  return {
    auth: { apiKeys, entra, demoRoutes, required: Boolean(options.requireAuth) },
    problems,
  };
}

/**
 * The API key a client of this environment sends (the smoke test, the eval CLI): the first key
 * the server accepts, from CONTOSO_API_KEYS then CONTOSO_API_KEY.
 *
 * @example
 * ```ts
 * import { clientApiKey } from "./auth.ts";
 * console.assert(clientApiKey({ CONTOSO_API_KEYS: "a-new-key-0123456789,an-old-one" }) === "a-new-key-0123456789");
 * ```
 */
export function clientApiKey(env: Record<string, string | undefined>): string | undefined {
  return parseAuthConfig(env).auth.apiKeys[0];
}
