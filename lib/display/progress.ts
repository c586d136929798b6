/**
 * `progress(label)`: a progress bar for long notebook and CLI steps (seeding, evaluation).
 * In Deno's Jupyter kernel it shows one output and replaces it in place
 * (`Deno.jupyter.display` with a `display_id` and `update: true`); elsewhere it redraws one
 * line on stderr with `\r` when stderr is a terminal, and prints only the final line when it
 * is not (CI logs). Updates are throttled so a tight loop does not flood the front end.
 *
 * @module
 */
import type { MimeBundle } from "./_bundle.ts";
import { escapeHtml } from "./escape.ts";

/** A running progress bar. */
export interface Progress {
  /** Reports `done` of `total` items (total may be omitted when unknown). */
  update(done: number, total?: number): Promise<void>;
  /** Shows the final state (optionally a closing message) and stops updating. */
  done(message?: string): Promise<void>;
}

/** The slice of `Deno.jupyter` that progress needs. */
export interface JupyterDisplay {
  /** Sends a MIME bundle; with `update: true` it replaces the output with the same id. */
  display(
    bundle: MimeBundle,
    options: { raw: true; display_id: string; update?: boolean },
  ): Promise<void>;
}

/** Where progress goes: the kernel, a terminal, or nowhere visible until done. */
export interface ProgressOptions {
  /** The kernel's display API; default: `Deno.jupyter` when running in a kernel. */
  jupyter?: JupyterDisplay | null;
  /** The terminal stream; default: `Deno.stderr`. */
  stream?: { writeSync(bytes: Uint8Array): number; isTerminal(): boolean };
  /** Minimum time between two redraws in ms (default 100); the first and last always show. */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** `Deno.jupyter` when this code runs inside Deno's Jupyter kernel, else `null`. */
export function kernelDisplay(): JupyterDisplay | null {
  try {
    // Outside `deno jupyter` the getter throws.
    const jupyter = (Deno as unknown as { jupyter?: JupyterDisplay }).jupyter;
    return typeof jupyter?.display === "function" ? jupyter : null;
  } catch {
    return null;
  }
}

const WIDTH = 30;

function describe(label: string, done: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return `${label} ${done}`;
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * WIDTH);
  return `${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total} ` +
    `(${Math.round(ratio * 100)}%)`;
}

function bundle(label: string, done: number, total?: number, message?: string): MimeBundle {
  const text = describe(label, done, total) + (message ? ` ${message}` : "");
  const bar = total !== undefined && total > 0
    ? `<progress value="${Math.min(done, total)}" max="${total}"></progress>`
    : "<progress></progress>";
  const counts = total !== undefined && total > 0 ? `${done}/${total}` : `${done}`;
  const html = `<div data-display="progress" style="text-align:left">${escapeHtml(label)} ` +
    `${bar} ${counts}` +
    `${message ? ` ${escapeHtml(message)}` : ""}</div>`;
  return { "text/html": html, "text/plain": text };
}

/**
 * Starts a progress bar labelled `label`.
 *
 * @example
 * ```ts
 * import { progress } from "./progress.ts";
 * const bar = progress("Seeding products", { jupyter: null });
 * for (let i = 1; i <= 3; i++) await bar.update(i, 3);
 * await bar.done();
 * ```
 */
export function progress(label: string, options: ProgressOptions = {}): Progress {
  const jupyter = options.jupyter === undefined ? kernelDisplay() : options.jupyter;
  const stream = options.stream ?? Deno.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const displayId = `progress-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  let shown = false;
  let finished = false;
  let last = -Infinity;
  let state = { done: 0, total: undefined as number | undefined };
  // Displays go out one after another, so an update never overtakes the one before it.
  let queue = Promise.resolve();

  const draw = (message?: string, final = false): Promise<void> => {
    const b = bundle(label, state.done, state.total, message);
    if (jupyter) {
      const update = shown;
      shown = true;
      queue = queue
        .then(() => jupyter.display(b, { raw: true, display_id: displayId, update }))
        .catch(() => {});
      return queue;
    }
    if (stream.isTerminal()) {
      stream.writeSync(encoder.encode(`\r\x1b[2K${b["text/plain"]}${final ? "\n" : ""}`));
    } else if (final) {
      stream.writeSync(encoder.encode(`${b["text/plain"]}\n`));
    }
    return Promise.resolve();
  };

  return {
    update(done, total) {
      if (finished) return queue;
      state = { done, total: total ?? state.total };
      const t = now();
      if (t - last < interval) return queue;
      last = t;
      return draw();
    },
    done(message) {
      if (finished) return queue;
      finished = true;
      return draw(message, true);
    },
  };
}
