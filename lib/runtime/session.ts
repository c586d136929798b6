/**
 * A notebook's services, the same way for every backend: `notebookSession(config)` in the first
 * cell, `await session.runtime()` in every cell that needs the services (it opens them on first
 * use and again after the last cell closed them), `await session.close()` in the last cell. So
 * any cell can be re-run after the last one. Things built on the runtime (a local server) are
 * kept by name with `session.resource()` and stop before the runtime closes. Re-running the
 * first cell closes the session it replaces. The session also keeps the data records the
 * runtime skipped while seeding, and shows them: a banner, a table, and the sentence naming the
 * file to fix when a customer is missing.
 *
 * No hook runs when Jupyter shuts Deno's kernel down (measured with Deno 2.9.6: neither
 * `unload`, `beforeunload`, `process.on("exit")` nor a SIGTERM listener fires), so the last cell
 * closes the session; the embedded services live in the kernel's process and end with it.
 *
 * @module
 */
import type { Config } from "../config/types.ts";
import { NotFoundError } from "../errors.ts";
import type { Customer } from "../customers/types.ts";
import { type Rendered, rendered } from "../display/_bundle.ts";
import { escapeHtml } from "../display/escape.ts";
import { kernelDisplay } from "../display/progress.ts";
import { table } from "../display/table.ts";
import type { DataProblem } from "../seed/load_data.ts";
import { type ComposedRuntime, createRuntime, type RuntimeOptions } from "./mod.ts";
import { dataProblemRow, explainMissingCustomer, formatDataProblem } from "./data_problems.ts";

/** Something a session can stop: a server (`shutdown`) or a client (`close`). */
export type Closable = { shutdown(): Promise<unknown> } | { close(): Promise<unknown> | void };

/** Options of {@link notebookSession}: {@link RuntimeOptions} plus how to open. */
export interface NotebookSessionOptions extends RuntimeOptions {
  /** Builds the runtime (default `createRuntime`; tests pass a fake). */
  open?: (config: Config, options: RuntimeOptions) => Promise<ComposedRuntime>;
  /**
   * The global slot that holds the current session, so that re-running the first cell closes
   * the session it replaces (default `"contoso.notebookSession"`; `null`: none).
   */
  slot?: string | null;
}

/** A notebook's services, opened lazily and reopened after {@link NotebookSession.close}. */
export interface NotebookSession {
  /** The configuration the next open uses. */
  readonly config: Config;
  /** True while a runtime is open. */
  readonly isOpen: boolean;
  /** Records skipped while the open runtime seeded (empty before the first open). */
  readonly problems: readonly DataProblem[];
  /** The open runtime; opens it on first use and after `close()`. Closing it closes the session. */
  runtime(): Promise<ComposedRuntime>;
  /**
   * Close what is open and open again: the cell that starts the services, so that re-running it
   * picks up fixed data files (the embedded stores are seeded again).
   */
  restart(): Promise<ComposedRuntime>;
  /**
   * The resource kept under `name`, opened from the runtime when absent (or closed since).
   * Resources stop, newest first, before the runtime closes.
   */
  resource<T extends Closable>(
    name: string,
    open: (runtime: ComposedRuntime) => T | Promise<T>,
  ): Promise<T>;
  /** Stop the resource kept under `name`, if any. */
  release(name: string): Promise<void>;
  /** Use another configuration: closes what is open; the next `runtime()` opens with it. */
  configure(config: Config): Promise<void>;
  /** A warning banner when the runtime started with skipped records, else `undefined`. */
  banner(): Rendered | undefined;
  /** Shows {@link NotebookSession.banner} in the notebook (or prints it) when there is one. */
  showBanner(): Promise<void>;
  /** The skipped records as a table (file, line, reason). */
  problemsTable(): Rendered;
  /** Why customer `id` is not in the store, naming the skipped data file to fix. */
  missingCustomer(id: string): string;
  /** The customer, or a `NotFoundError` whose message names the data file to fix. */
  customer(id: string): Promise<Customer>;
  /** Stop the resources and close the runtime. The session stays usable. Safe to call twice. */
  close(): Promise<void>;
}

async function stop(resource: Closable): Promise<void> {
  if ("shutdown" in resource) await resource.shutdown();
  else await resource.close();
}

/**
 * A warning banner (HTML plus text) listing skipped data records, or `undefined` when none.
 *
 * @example
 * ```ts
 * import { dataProblemBanner } from "./session.ts";
 * const banner = dataProblemBanner([{ file: "customers/9.json", message: "invalid JSON" }]);
 * console.assert(String(banner).includes("customers/9.json: invalid JSON"));
 * console.assert(dataProblemBanner([]) === undefined);
 * ```
 */
export function dataProblemBanner(problems: readonly DataProblem[]): Rendered | undefined {
  if (problems.length === 0) return undefined;
  const n = problems.length;
  const records = `${n} skipped data record${n === 1 ? "" : "s"}`;
  const lines = problems.slice(0, 5).map((p) => formatDataProblem(p));
  if (n > lines.length) lines.push(`… and ${n - lines.length} more`);
  const advice = "Anything that needs them will be missing. Fix the file" + (n === 1 ? "" : "s") +
    ", then re-run the cell that starts the services (1 · Provision lists every problem).";
  const markup = `<div data-display="data-problems" role="alert" style="${BANNER_STYLE}">` +
    `<strong>⚠ The services started with ${records}.</strong> ${escapeHtml(advice)}<ul>` +
    lines.map((l) => `<li><code>${escapeHtml(l)}</code></li>`).join("") + "</ul></div>";
  const text = [
    `⚠ The services started with ${records}.`,
    ...lines.map((l) => `  - ${l}`),
    advice,
  ].join("\n");
  return rendered({ "text/html": markup, "text/plain": text });
}

const BANNER_STYLE =
  "border-left:4px solid #d97706;background:#fffbeb;color:#1f2937;padding:6px 10px;text-align:left";

/**
 * The skipped records as a table: file (relative to the repository), line, reason.
 *
 * @example
 * ```ts
 * import { dataProblemsTable } from "./session.ts";
 * const shown = dataProblemsTable([{ file: "eval/test.jsonl", line: 4, message: "missing question" }]);
 * console.assert(String(shown).includes("eval/test.jsonl"));
 * ```
 */
export function dataProblemsTable(
  problems: readonly DataProblem[],
  options: { caption?: string } = {},
): Rendered {
  const rows = problems.map((p) => dataProblemRow(p));
  return table(
    rows.map((r) => ({ file: r.file, line: r.line ?? "", reason: r.reason })),
    {
      caption: options.caption ??
        `${rows.length} data record${rows.length === 1 ? "" : "s"} skipped`,
      columns: ["file", "line", "reason"],
    },
  );
}

/**
 * Start a notebook's session (first cell). Nothing opens until `runtime()` is called.
 *
 * @example
 * ```ts ignore
 * const session = notebookSession(loadConfig(readEnvironment("../.env")));
 * const runtime = await session.runtime(); // in each cell that needs the services
 * await session.showBanner();              // after the cell that starts them
 * await session.close();                   // last cell; any cell can still be re-run
 * ```
 */
export function notebookSession(
  config: Config,
  options: NotebookSessionOptions = {},
): NotebookSession {
  const { open = createRuntime, slot = "contoso.notebookSession", ...runtimeOptions } = options;
  const global = globalThis as unknown as Record<symbol, NotebookSession | undefined>;
  const key = slot === null ? undefined : Symbol.for(slot);
  // Re-running the first cell: the replaced session closes before this one opens.
  let previous: Promise<void> | undefined = key
    ? global[key]?.close().catch((e) => console.warn(`Cannot close the previous session: ${e}`))
    : undefined;

  let current = config;
  let runtime: ComposedRuntime | undefined;
  let opening: Promise<ComposedRuntime> | undefined;
  let problems: DataProblem[] = [];
  const resources = new Map<string, Closable>();
  const starting = new Map<string, Promise<Closable>>();
  // The real close of each runtime handed out (theirs closes the whole session).
  const inner = new WeakMap<ComposedRuntime, () => Promise<void>>();

  // Whether this session filled the customer store itself (the embedded one), as far as known.
  const seededCustomers = () =>
    runtime === undefined ||
    runtime.customers.backend === "embedded" && runtime.seeded !== undefined;

  async function openRuntime(): Promise<ComposedRuntime> {
    const replaced = previous;
    previous = undefined;
    await replaced?.catch(() => undefined);
    const seen: DataProblem[] = [];
    const opened = await open(current, {
      ...runtimeOptions,
      onDataProblem(problem) {
        seen.push(problem);
        runtimeOptions.onDataProblem?.(problem);
      },
    });
    problems = seen;
    // Closing the runtime directly (old notebook code) closes the session, so it reopens.
    const wrapped: ComposedRuntime = { ...opened, close: () => session.close() };
    inner.set(wrapped, () => opened.close());
    runtime = wrapped;
    return wrapped;
  }

  const session: NotebookSession = {
    get config() {
      return current;
    },
    get isOpen() {
      return runtime !== undefined;
    },
    get problems() {
      return problems;
    },
    runtime() {
      if (runtime) return Promise.resolve(runtime);
      opening ??= openRuntime().finally(() => opening = undefined);
      return opening;
    },
    async restart() {
      await session.close();
      return await session.runtime();
    },
    async resource<T extends Closable>(
      name: string,
      make: (runtime: ComposedRuntime) => T | Promise<T>,
    ): Promise<T> {
      const open = resources.get(name);
      if (open) return open as T;
      let pending = starting.get(name);
      if (!pending) {
        pending = (async () => make(await session.runtime()))();
        starting.set(name, pending);
      }
      try {
        const made = await pending;
        resources.set(name, made);
        return made as T;
      } finally {
        starting.delete(name);
      }
    },
    async release(name) {
      const resource = resources.get(name);
      resources.delete(name);
      if (resource) await stop(resource);
    },
    async configure(config) {
      if (config === current) return;
      await session.close();
      current = config;
    },
    banner: () => dataProblemBanner(problems),
    async showBanner() {
      const banner = dataProblemBanner(problems);
      if (!banner) return;
      const jupyter = kernelDisplay() as
        | { display(bundle: unknown, options: { raw: true }): Promise<void> }
        | null;
      if (jupyter) await jupyter.display(banner.bundle, { raw: true });
      else console.warn(String(banner));
    },
    problemsTable: () => dataProblemsTable(problems),
    missingCustomer: (id) => explainMissingCustomer(id, problems, { seeded: seededCustomers() }),
    async customer(id) {
      const rt = await session.runtime();
      try {
        return await rt.customers.get(id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        throw Object.assign(new NotFoundError("customer", id), {
          message: explainMissingCustomer(id, problems, { seeded: seededCustomers() }),
          cause: error,
        });
      }
    },
    async close() {
      await opening?.catch(() => undefined);
      const names = [...resources.keys()].reverse();
      const closing = runtime;
      runtime = undefined;
      const errors: unknown[] = [];
      for (const name of names) {
        await session.release(name).catch((e) => errors.push(e));
      }
      if (closing) {
        await inner.get(closing)?.().catch((e: unknown) => errors.push(e));
      }
      if (errors.length > 0) throw errors[0];
    },
  };

  if (key) global[key] = session;
  return session;
}
