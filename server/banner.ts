/**
 * The start-up banner of `deno task start`: which backend serves each part (never a secret)
 * and where the chat page and API docs are. Pure, so it is tested without starting anything.
 *
 * @module
 */
import { type Config, describeConfig } from "../lib/config/mod.ts";

/** Options of {@link formatBanner}. */
export interface BannerOptions {
  mode: "dev" | "production";
  version: string;
  config: Config;
  /** Base URL the server answers on, e.g. `http://localhost:8000`. */
  url: string;
  /** The forwarded URL when running in GitHub Codespaces. */
  publicUrl?: string;
}

/**
 * Format the banner as plain text lines.
 *
 * @example
 * ```ts ignore
 * console.log(formatBanner({ mode: "dev", version: "0.1.0", config, url: "http://localhost:8000" }));
 * ```
 */
export function formatBanner(options: BannerOptions): string {
  const rows = describeConfig(options.config);
  const width = Math.max(...rows.map((r) => r.part.length));
  const backendWidth = Math.max(...rows.map((r) => r.backend.length));
  const base = options.publicUrl ?? options.url;
  const lines = [
    `Contoso Chat ${options.version} (${options.mode} mode)`,
    "",
    ...rows.map((r) =>
      `  ${r.part.padEnd(width)}  ${r.backend.padEnd(backendWidth)}  ${r.target}${
        r.auth !== "-" ? ` [${r.auth}]` : ""
      }`
    ),
    "",
    `  Chat page  ${base}/chat`,
    `  API docs   ${base}/docs`,
    `  API        POST ${base}/api/create_response`,
  ];
  if (options.publicUrl) lines.push(`  (local     ${options.url})`);
  const auth = options.config.server.auth;
  const methods = [
    auth.apiKeys.length > 0
      ? `${auth.apiKeys.length === 1 ? "the API key" : "an API key"} (x-api-key)`
      : "",
    auth.entra ? "or a Microsoft Entra ID token" : "",
  ].filter(Boolean).join(" ").replace(/^or /, "");
  if (methods) lines.push(`  /api/* requires ${methods}`);
  lines.push("", "Press Ctrl+C to stop.");
  return lines.join("\n");
}
