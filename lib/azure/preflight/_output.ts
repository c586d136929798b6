/**
 * Reading what azd and az print, for the preflight's rows: internal, shared by the azd checks
 * (preflight.ts) and the Azure CLI checks (azure_cli.ts).
 *
 * @module
 */

/** The first line of a command's output that is not blank, trimmed ("" when there is none). */
export function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim() ?? "";
}
