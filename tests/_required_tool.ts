/**
 * The one rule for tests that need a program the machine may lack (Chromium, openssl): without
 * it a test is ignored locally, with one hint saying what to install, and on CI (`CI=true`) it is
 * registered and fails naming the package, so a missing program never passes silently where the
 * suite must run in full.
 *
 * @module
 */

/** How a test asks for a program: `ignore` for `Deno.test`, `require()` first in its body. */
export interface RequiredTool {
  /** Whether the program is there. */
  readonly found: boolean;
  /** The `ignore` flag: true only when the program is missing and this is not CI. */
  readonly ignore: boolean;
  /** Throws the install hint when the program is missing (call first in the test's body). */
  require(): void;
}

/** Options of {@link requiredTool}. */
export interface RequiredToolOptions {
  /** What the tests need, as a message names it (`openssl`, `Chromium at /usr/bin/chromium`). */
  what: string;
  /** Whether it is installed. */
  found: boolean;
  /** How to install it (`apt-get install -y openssl`). */
  hint: string;
  /** Defaults to `CI=true` in the environment. */
  inCI?: boolean;
}

/**
 * The gate for one program; warns once, when the program is missing outside CI.
 *
 * @example
 * ```ts
 * import { requiredTool } from "./_required_tool.ts";
 * const gate = requiredTool({ what: "openssl", found: false, hint: "apt-get install -y openssl", inCI: false });
 * console.assert(gate.ignore);
 * ```
 */
export function requiredTool(options: RequiredToolOptions): RequiredTool {
  const inCI = options.inCI ?? Deno.env.get("CI") === "true";
  const { what, found, hint } = options;
  let hinted = false;
  return {
    found,
    get ignore() {
      if (found || inCI) return false;
      if (!hinted) {
        hinted = true;
        console.warn(`tests needing ${what} ignored: it is not installed (${hint})`);
      }
      return true;
    },
    require() {
      if (!found) {
        throw new Error(
          `Cannot run this test${inCI ? " on CI" : ""}: ${what} is not installed (${hint})`,
        );
      }
    },
  };
}

/** Whether an executable named `name` is on `PATH` (no subprocess). */
export function onPath(name: string, path: string = Deno.env.get("PATH") ?? ""): boolean {
  return path.split(":").filter((dir) => dir !== "").some((dir) => {
    try {
      const info = Deno.statSync(`${dir}/${name}`);
      return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}
