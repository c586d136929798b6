/**
 * The Evaluate stage's display helpers on `lib/display`: the live progress bar in a notebook
 * (one output updated in place) and on a log, and the means chart per kind of metric.
 *
 * @module
 */
import { equal, ok as assert } from "node:assert/strict";
import { meansChart, progressDisplay } from "./display.ts";
import type { EvalProgress } from "./runner.ts";
import type { MimeBundle } from "../display/mod.ts";

const step = (done: number, extra: Partial<EvalProgress> = {}): EvalProgress => ({
  total: 3,
  done,
  ok: done,
  failed: 0,
  resumed: 0,
  retries: 0,
  elapsedMs: 1000 * done,
  ...extra,
});

Deno.test("progressDisplay() updates one notebook output in place", async () => {
  const shown: { bundle: MimeBundle; id: string; update?: boolean }[] = [];
  const jupyter = {
    display(bundle: MimeBundle, o: { display_id: string; update?: boolean }) {
      shown.push({ bundle, id: o.display_id, update: o.update });
      return Promise.resolve();
    },
  };
  const bar = progressDisplay("Evaluating", { jupyter, intervalMs: 0 });
  for (let i = 0; i <= 3; i++) {
    bar.onProgress(step(i, i === 3 ? { failed: 1, ok: 2, retries: 2 } : {}));
  }
  await bar.finish();
  assert(shown.length >= 2);
  equal(new Set(shown.map((s) => s.id)).size, 1, "one output, replaced in place");
  equal(shown[0].update, false);
  assert(shown.slice(1).every((s) => s.update === true));
  const last = shown.at(-1)!.bundle["text/plain"];
  assert(last.includes("3/3"), last);
  assert(last.includes("2 ok · 1 failed · 2 retries · 00:03"), last);
});

Deno.test("progressDisplay() prints only the final line to a log", async () => {
  const written: string[] = [];
  const stream = {
    writeSync: (b: Uint8Array) => (written.push(new TextDecoder().decode(b)), b.length),
    isTerminal: () => false,
  };
  const bar = progressDisplay("Evaluating", { jupyter: null, stream });
  [0, 1, 2, 3].forEach((i) => bar.onProgress(step(i)));
  await bar.finish();
  equal(written.length, 1);
  assert(written[0].includes("3 ok · 0 failed"));
});

Deno.test("meansChart() draws one kind of metric on its own scale", () => {
  const summary = {
    name: "run",
    metrics: [
      {
        name: "groundedness",
        kind: "judge" as const,
        range: [1, 5] as const,
        mean: 4.2,
        count: 3,
        missing: 0,
        min: 4,
        max: 5,
      },
      {
        name: "f1",
        kind: "text" as const,
        range: [0, 1] as const,
        mean: 0.4,
        count: 3,
        missing: 0,
        min: 0,
        max: 1,
      },
      {
        name: "bleu",
        kind: "text" as const,
        range: [0, 1] as const,
        mean: null,
        count: 0,
        missing: 3,
        min: null,
        max: null,
      },
    ],
  };
  const text = meansChart(summary, "text");
  assert(text.svg.startsWith("<svg"));
  const plain = text[Symbol.for("Jupyter.display") as keyof typeof text] as unknown as () =>
    MimeBundle;
  const bundle = plain.call(text);
  assert(bundle["text/plain"].includes("f1"));
  assert(!bundle["text/plain"].includes("bleu"), "a metric without scores is not drawn as 0");
  assert(!bundle["text/plain"].includes("groundedness"));
  assert(meansChart(summary, "judge").svg.includes("AI judges (1–5)"));
});
