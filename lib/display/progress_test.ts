import assert from "node:assert/strict";
import { type JupyterDisplay, kernelDisplay, progress } from "./progress.ts";
import type { MimeBundle } from "./_bundle.ts";

function fakeStream(terminal: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    isTerminal: () => terminal,
    writeSync(bytes: Uint8Array) {
      chunks.push(new TextDecoder().decode(bytes));
      return bytes.length;
    },
  };
}

function fakeJupyter() {
  const calls: { bundle: MimeBundle; display_id: string; update?: boolean }[] = [];
  const jupyter: JupyterDisplay = {
    display(bundle, options) {
      calls.push({ bundle, display_id: options.display_id, update: options.update });
      return Promise.resolve();
    },
  };
  return { calls, jupyter };
}

Deno.test("progress() displays then updates one output in a kernel", async () => {
  const { calls, jupyter } = fakeJupyter();
  const bar = progress("Seeding <products>", { jupyter, intervalMs: 0 });
  await bar.update(1, 4);
  await bar.update(4, 4);
  await bar.done("ok");
  assert.equal(calls.length, 3);
  assert.deepEqual(calls.map((c) => c.update), [false, true, true]);
  assert.equal(new Set(calls.map((c) => c.display_id)).size, 1);
  assert.equal(
    calls[2].bundle["text/plain"],
    `Seeding <products> [${"#".repeat(30)}] 4/4 (100%) ok`,
  );
  assert.ok(calls[0].bundle["text/html"].includes("Seeding &lt;products&gt;"));
  assert.ok(calls[0].bundle["text/html"].includes('<progress value="1" max="4">'));
  assert.match(
    calls[0].bundle["text/html"],
    /^<div data-display="progress" style="text-align:left">/,
  );
});

Deno.test("progress() throttles updates but always shows the last state", async () => {
  const { calls, jupyter } = fakeJupyter();
  let t = 0;
  const bar = progress("x", { jupyter, intervalMs: 100, now: () => t });
  for (let i = 1; i <= 50; i++) {
    t += 10;
    await bar.update(i, 50);
  }
  await bar.done();
  assert.ok(calls.length <= 7, `${calls.length} displays`);
  assert.ok(calls.at(-1)!.bundle["text/plain"].includes("50/50"));
  await bar.update(1, 50);
  assert.ok(calls.at(-1)!.bundle["text/plain"].includes("50/50"), "no update after done()");
});

Deno.test("progress() redraws one terminal line with \\r", async () => {
  const stream = fakeStream(true);
  const bar = progress("Evaluating", { jupyter: null, stream, intervalMs: 0 });
  await bar.update(1, 2);
  await bar.update(2);
  await bar.done();
  assert.equal(stream.chunks.length, 3);
  assert.ok(stream.chunks.every((c) => c.startsWith("\r")));
  assert.ok(stream.chunks[1].includes("2/2 (100%)"));
  assert.ok(stream.chunks[2].endsWith("\n"));
});

Deno.test("progress() prints only the final line when stderr is not a terminal", async () => {
  const stream = fakeStream(false);
  const bar = progress("Count", { jupyter: null, stream, intervalMs: 0 });
  await bar.update(3);
  await bar.done("done");
  assert.deepEqual(stream.chunks, ["Count 3 done\n"]);
});

Deno.test("kernelDisplay() is null outside a Jupyter kernel", () => {
  assert.equal(kernelDisplay(), null);
});
