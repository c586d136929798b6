/**
 * Reliability: soak. Sustained load on the real app (embedded defaults, the offline model
 * behind a fault-injecting `fetch`) from concurrent clients, every test question for every
 * customer, a fifth of them streamed, with 1% of requests given a model fault (HTTP 500, 429,
 * malformed JSON, the content filter, a hang past the model timeout, a stream cut mid-way).
 * The error rate must equal the injected rate exactly (every faulted request fails with its
 * documented status, no other request fails), persistent faults stop at the retry bound, no
 * contact detail reaches a log line, and the heap after a full collection at the end is
 * within 20% of the heap after warm-up.
 *
 * Knobs: SOAK_SECONDS (default 20; the full run is 60), SOAK_CONCURRENCY (default 8),
 * SOAK_SEED.
 *
 * @module
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import {
  chatRequest,
  createReliabilityApp,
  type Fault,
  loadDataCustomers,
  readEvents,
  RELIABILITY_ENV,
  seededRandom,
} from "./_reliability_harness.ts";

const SECONDS = Number(Deno.env.get("SOAK_SECONDS") ?? 20);
const CONCURRENCY = Number(Deno.env.get("SOAK_CONCURRENCY") ?? 8);
const SEED = Number(Deno.env.get("SOAK_SEED") ?? 7);
const FAULT_RATE = 0.01;
const MAX_RETRIES = Number(RELIABILITY_ENV.MODEL_MAX_RETRIES);

const FAULT_KINDS = ["500", "429", "malformed", "content-filter", "hang", "cut-stream"] as const;
type FaultKind = typeof FAULT_KINDS[number];
const MARK = /\(soak-fault ([a-z0-9-]+) \d+\)/;

/** What a faulted request must end with: HTTP status, or 200 and an error event's status. */
const EXPECTED: Record<FaultKind, { status: number; eventStatus?: number }> = {
  "500": { status: 502 },
  "429": { status: 502 },
  malformed: { status: 502 },
  "content-filter": { status: 400 },
  hang: { status: 504 },
  "cut-stream": { status: 200, eventStatus: 502 },
};

function faultFor(kind: FaultKind, stream: boolean): Fault | undefined {
  switch (kind) {
    case "500":
      return { kind: "status", status: 500 };
    case "429":
      return { kind: "status", status: 429 };
    case "malformed":
      return { kind: "malformed" };
    case "content-filter":
      return { kind: "content-filter" };
    case "hang":
      return { kind: "hang" };
    case "cut-stream":
      return stream ? { kind: "cut-stream", afterEvents: 4, how: "error" } : undefined;
  }
}

/** A full garbage collection (V8's gc, reached without a command-line flag). */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  gc();
  gc();
}

interface Outcome {
  kind?: FaultKind;
  stream: boolean;
  status: number;
  eventStatus?: number;
  failed: boolean;
}

Deno.test("reliability: soak with 1% injected model faults", async (t) => {
  const customers = await loadDataCustomers();
  const contacts = customers.flatMap((c) => [c.email, c.phone, c.address]);
  const questions = (await Deno.readTextFile(new URL("../data/eval/test.jsonl", import.meta.url)))
    .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).question as string);
  let logLines = 0;
  const logLeaks: string[] = [];
  const h = await createReliabilityApp({
    embedded: true,
    writeLog: (line) => {
      logLines++;
      for (const contact of contacts) if (line.includes(contact)) logLeaks.push(contact);
    },
  });
  h.model.setPlan((call) => {
    const kind = MARK.exec(call.body)?.[1] as FaultKind | undefined;
    if (!kind) return undefined;
    if (kind === "cut-stream") return call.stream ? faultFor(kind, true) : undefined;
    return call.route === "chat" ? faultFor(kind, call.stream) : undefined;
  });
  // The fault model keeps every call; a soak only needs the faulted ones.
  const calls = h.model.calls;

  const random = seededRandom(SEED);
  const outcomes: Outcome[] = [];
  let next = 0;
  const oneRequest = async () => {
    const n = next++;
    const customer = customers[n % customers.length];
    const question = questions[Math.floor(n / customers.length) % questions.length];
    const marked = random() < FAULT_RATE;
    const kind = marked ? FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)] : undefined;
    const stream = kind === "cut-stream" || random() < 0.2;
    const text = kind ? `${question} (soak-fault ${kind} ${n})` : question;
    const res = await h.app.request(
      "/api/create_response",
      chatRequest(
        { question: text, customer_id: customer.id },
        stream ? { accept: "text/event-stream" } : {},
      ),
    );
    const outcome: Outcome = { kind, stream, status: res.status, failed: res.status !== 200 };
    if (res.status === 200 && (res.headers.get("content-type") ?? "").includes("event-stream")) {
      const events = await readEvents(res.body!);
      const last = events.at(-1)!;
      if (last.event !== "done") {
        outcome.failed = true;
        outcome.eventStatus = Number(last.data.status);
      }
    } else {
      await res.body?.cancel();
    }
    outcomes.push(outcome);
  };

  const started = performance.now();
  const warmupMs = Math.min(10, Math.max(3, SECONDS * 0.2)) * 1000;
  const endAt = started + SECONDS * 1000;
  let heapAfterWarmup = 0;
  let rssAfterWarmup = 0;
  const warmup = setTimeout(() => {
    collectGarbage();
    heapAfterWarmup = Deno.memoryUsage().heapUsed;
    rssAfterWarmup = Deno.memoryUsage().rss;
    // Calls recorded during warm-up are no longer needed.
    calls.splice(0, calls.length, ...calls.filter((c) => c.fault));
  }, warmupMs);
  const trim = setInterval(() => {
    // Keep only faulted calls, so the harness itself does not grow with the run.
    const kept = calls.filter((c) => c.fault);
    calls.splice(0, calls.length, ...kept);
  }, 1000);
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < endAt) await oneRequest();
      }),
    );
  } finally {
    clearTimeout(warmup);
    clearInterval(trim);
  }
  const seconds = (performance.now() - started) / 1000;
  collectGarbage();
  const heapAtEnd = Deno.memoryUsage().heapUsed;
  const rssAtEnd = Deno.memoryUsage().rss;

  try {
    const failed = outcomes.filter((o) => o.failed);
    const injected = outcomes.filter((o) => o.kind);
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `soak: ${outcomes.length} requests in ${seconds.toFixed(1)} s (${
        (outcomes.length / seconds).toFixed(0)
      } req/s, ${CONCURRENCY} clients); injected ${injected.length} (${
        (100 * injected.length / outcomes.length).toFixed(2)
      }%), failed ${failed.length} (${(100 * failed.length / outcomes.length).toFixed(2)}%); ` +
        `heap after warm-up ${mib(heapAfterWarmup)} MiB, at end ${mib(heapAtEnd)} MiB (${
          ((heapAtEnd / heapAfterWarmup - 1) * 100).toFixed(1)
        }%); RSS ${mib(rssAfterWarmup)} -> ${mib(rssAtEnd)} MiB`,
    );

    await t.step("faults were injected at about 1% of the load", () => {
      assert.ok(outcomes.length >= 1000, `${outcomes.length} requests`);
      const rate = injected.length / outcomes.length;
      assert.ok(rate > 0.004 && rate < 0.02, `injected rate ${rate}`);
      for (const kind of FAULT_KINDS) {
        if (SECONDS >= 20) assert.ok(injected.some((o) => o.kind === kind), `no ${kind} fault`);
      }
    });

    await t.step(
      "the error rate equals the injected rate: exactly the faulted requests fail",
      () => {
        const unexpected = failed.filter((o) => !o.kind);
        assert.deepEqual(unexpected.slice(0, 5), [], `${unexpected.length} unfaulted failures`);
        const survived = injected.filter((o) => !o.failed);
        assert.deepEqual(survived.slice(0, 5), [], `${survived.length} faulted requests answered`);
        assert.equal(failed.length, injected.length);
      },
    );

    await t.step("each faulted request got its documented status", () => {
      for (const o of injected) {
        const expected = EXPECTED[o.kind!];
        assert.equal(o.status, expected.status, `${o.kind} (stream ${o.stream})`);
        if (expected.eventStatus) assert.equal(o.eventStatus, expected.eventStatus, o.kind);
      }
    });

    await t.step("persistent faults stopped at the retry bound", () => {
      for (const kind of ["500", "429", "malformed"] as const) {
        const requests = injected.filter((o) => o.kind === kind).length;
        const faulted = calls.filter((c) => MARK.exec(c.body)?.[1] === kind).length;
        assert.equal(faulted, requests * (1 + MAX_RETRIES), `${kind}: ${faulted} calls`);
      }
      for (const kind of ["content-filter", "hang", "cut-stream"] as const) {
        const requests = injected.filter((o) => o.kind === kind).length;
        const faulted = calls.filter((c) => c.fault && MARK.exec(c.body)?.[1] === kind).length;
        assert.equal(faulted, requests, `${kind} is not retried`);
      }
    });

    await t.step("memory at the end is within 20% of after warm-up", () => {
      assert.ok(heapAfterWarmup > 0, "warm-up finished before the end");
      assert.ok(
        heapAtEnd <= heapAfterWarmup * 1.2,
        `heap ${mib(heapAfterWarmup)} -> ${mib(heapAtEnd)} MiB`,
      );
    });

    await t.step("no contact detail in any of the log lines", () => {
      assert.ok(logLines >= outcomes.length, `${logLines} log lines`);
      assert.deepEqual(logLeaks, []);
    });

    await t.step("the server answers normally after the soak", async () => {
      const res = await h.app.request(
        "/api/create_response",
        chatRequest({ question: "Which tent is lightest?", customer_id: "1" }),
      );
      assert.equal(res.status, 200);
      assert.equal(typeof (await res.json()).answer, "string");
    });
  } finally {
    await h.close();
  }
});
