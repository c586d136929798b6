/**
 * Running the server under test as its own process, the way `deno task start` does: spawn it
 * (pinned to one CPU when the machine has two, so the load generator gets the other), wait for
 * `/ready`, read its CPU time and peak memory from `/proc`, and stop it by its process id.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { delay } from "../lib/async/delay.ts";

/** The repository root (benchmarks spawn `server/main.ts` from there, as the task does). */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The CPU a process is pinned to, or undefined when pinning is unavailable. */
export type CpuSlot = "server" | "load";

let tasksetAvailable: boolean | undefined;

/** True when `taskset` exists and the machine has at least two CPUs. */
export async function canPin(): Promise<boolean> {
  if (tasksetAvailable !== undefined) return tasksetAvailable;
  try {
    const { success } = await new Deno.Command("taskset", { args: ["-c", "0", "true"] }).output();
    tasksetAvailable = success && navigator.hardwareConcurrency >= 2;
  } catch {
    tasksetAvailable = false;
  }
  return tasksetAvailable;
}

/** The command line for `args`, pinned to the slot's CPU when possible (server 0, load 1). */
export async function pinned(slot: CpuSlot, args: string[]): Promise<[string, string[]]> {
  if (!(await canPin())) return [args[0], args.slice(1)];
  return ["taskset", ["-c", slot === "server" ? "0" : "1", ...args]];
}

/** A free TCP port on loopback. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A spawned server. */
export interface ServerProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first passing readiness probe. */
  readyMs: number;
  /** CPU time (user + system, ms) the process has used so far. */
  cpuMs(): Promise<number>;
  /** Peak resident memory (VmHWM, bytes), or NaN where /proc is unavailable. */
  peakRssBytes(): Promise<number>;
  /** Current resident memory (VmRSS, bytes), or NaN. */
  rssBytes(): Promise<number>;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** What the process wrote to stderr (kept for error messages). */
  stderr(): string;
}

/** Options of {@link spawnServer}. */
export interface SpawnOptions {
  /** Arguments after `deno run -A` (default `server/main.ts --dev`, as `deno task start`). */
  script?: string[];
  env?: Record<string, string>;
  /** Path polled until it answers 200 (default `/ready`). */
  readyPath?: string;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Poll interval of the readiness probe (default 10 ms). */
  pollMs?: number;
  /** Pin to the server CPU (default true). */
  pin?: boolean;
}

const CLOCK_TICKS_PER_SECOND = 100;

async function procStatus(pid: number, field: string): Promise<number> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/status`);
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function procCpuMs(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return Number.NaN;
  }
}

/**
 * Spawn `deno run -A <script>` from the repository root with stdout discarded (the server's
 * JSON log lines are still written, as in production) and wait until `readyPath` answers 200.
 */
export async function spawnServer(options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = Number(options.env?.PORT ?? freePort());
  const script = options.script ?? ["server/main.ts", "--dev"];
  const args = [Deno.execPath(), "run", "-A", ...script];
  const [cmd, cmdArgs] = options.pin === false ? [args[0], args.slice(1)] : await pinned(
    "server",
    args,
  );
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args: cmdArgs,
    cwd: ROOT,
    // A benchmark measures the server, not the paced streaming `deno task start` shows.
    env: { NO_COLOR: "1", OFFLINE_STREAM_DELAY_MS: "0", ...options.env, PORT: String(port) },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const decoder = new TextDecoder();
  const drained = (async () => {
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
  })();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });

  const url = `http://127.0.0.1:${port}`;
  const readyPath = options.readyPath ?? "/ready";
  const deadline = started + (options.timeoutMs ?? 30_000);
  let readyMs = Number.NaN;
  while (performance.now() < deadline && !exited) {
    try {
      const res = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await delay(options.pollMs ?? 10);
  }
  // With taskset, the child is taskset itself only until it execs deno: same pid.
  const pid = child.pid;
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 10_000);
      await status;
      clearTimeout(timer);
    }
    await drained.catch(() => {});
  };
  if (Number.isNaN(readyMs)) {
    await stop();
    throw new Error(
      `The server did not become ready at ${url}${readyPath}${exited ? " (it exited)" : ""}:\n${
        stderr.slice(-2000)
      }`,
    );
  }
  return {
    pid,
    url,
    readyMs,
    cpuMs: () => procCpuMs(pid),
    peakRssBytes: () => procStatus(pid, "VmHWM"),
    rssBytes: () => procStatus(pid, "VmRSS"),
    stop,
    stderr: () => stderr,
  };
}

/** Current load average of the machine (1 minute), for the report; NaN when unknown. */
export async function loadAverage(): Promise<number> {
  try {
    return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}
