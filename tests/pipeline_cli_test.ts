/**
 * The chat CLI end to end: `deno run -A cli/chat.ts "QUESTION" --customer ID` on the embedded
 * defaults, its streaming and history options, `CONTOSO_DATA_DIR`, and bad arguments (exit 2
 * with usage). Each case is a real subprocess; they run concurrently to keep the suite fast.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseCsv, VARIABLES } from "../lib/mod.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const catalog = join(root, "lib/seed/testdata/paddle_catalog");
const productIds = new Set(
  parseCsv(Deno.readTextFileSync(join(root, "data/products.csv"))).slice(1).map((r) => r.fields[0]),
);

/**
 * Every configuration variable blanked (blank means unset, and the process environment wins
 * over a developer's .env), so the CLI runs on the embedded defaults whatever the machine has.
 */
const embeddedEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])),
  NO_COLOR: "1",
  ...extra,
});

async function cli(script: string, args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    cwd: root,
    env: embeddedEnv(env),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const QUESTION = "What would go well with the tent I bought?";

Deno.test("cli/chat.ts answers, streams, reads history, and rejects bad arguments", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const history = join(dir, "history.json");
    await Deno.writeTextFile(
      history,
      JSON.stringify([
        { role: "user", content: "Tell me about the Summit Dome 2 Tent" },
        { role: "assistant", content: "It is a two-person dome tent [1]." },
      ]),
    );
    const badHistory = join(dir, "bad.json");
    await Deno.writeTextFile(badHistory, JSON.stringify([{ role: "system", content: "x" }]));

    const [plain, streamed, followUp, otherCatalog, unknown, ...bad] = await Promise.all([
      cli("cli/chat.ts", [QUESTION, "--customer", "1"]),
      cli("cli/chat.ts", [QUESTION, "--customer", "1", "--stream"]),
      cli("cli/chat.ts", ["How much does it weigh?", "-c", "2", "--history", history, "--json"]),
      // Four kayaks in that catalog: the salt water is what points to the Riverrun's care section.
      cli("cli/chat.ts", ["How do I clean my kayak after salt water?", "--customer", "c1"], {
        CONTOSO_DATA_DIR: catalog,
      }),
      cli("cli/chat.ts", [QUESTION, "--customer", "999"]),
      cli("cli/chat.ts", ["--customer", "1"]),
      cli("cli/chat.ts", [QUESTION, "--customer", "1", "--bogus"]),
      cli("cli/chat.ts", [QUESTION, "--customer", "1", "--history", badHistory]),
    ]);

    await t.step("answers customer 1 by first name with a catalog product id", () => {
      equal(plain.code, 0, plain.stderr);
      match(plain.stdout, /\bMaya\b/);
      const ids = [...plain.stdout.matchAll(/\[([^\]\s]+)\]/g)].map((m) => m[1]);
      ok(ids.some((id) => productIds.has(id)), plain.stdout);
      match(plain.stdout, /\nSources:\n {2}\[/);
      match(plain.stdout, /Timings:\n {2}\S/);
      match(plain.stdout, /chat\.answer/);
    });

    await t.step("--stream prints the same answer", () => {
      equal(streamed.code, 0, streamed.stderr);
      const answer = (s: string) => s.slice(0, s.indexOf("\nSources:")).trim();
      equal(answer(streamed.stdout), answer(plain.stdout));
    });

    await t.step("--history feeds the earlier turns; --json prints the response", () => {
      equal(followUp.code, 0, followUp.stderr);
      const body = JSON.parse(followUp.stdout);
      equal(body.question, "How much does it weigh?");
      match(body.answer, /2\.1 kg/);
      ok(body.queries.some((q: string) => /summit dome/i.test(q)), JSON.stringify(body.queries));
      ok(Array.isArray(body.context) && body.context.length > 0);
      for (const item of body.context) ok(item.id && item.title && item.url && item.content);
    });

    await t.step("CONTOSO_DATA_DIR answers from another catalog", () => {
      equal(otherCatalog.code, 0, otherCatalog.stderr);
      match(otherCatalog.stdout, /\bZed\b/);
      match(otherCatalog.stdout, /\[k1-manual-care-and-maintenance\]/);
      match(otherCatalog.stderr, /warning: skipped .*products\.csv:6: name is empty/);
    });

    await t.step("an unknown customer exits 1 with a clear message", () => {
      equal(unknown.code, 1);
      match(unknown.stderr, /Error: Cannot find customer "999"/);
    });

    await t.step("bad arguments exit 2 with usage", () => {
      const reasons = [
        /a question is required/,
        /Unknown option '--bogus'/,
        /chat_history\[0\]\.role must be "user" or "assistant"/,
      ];
      bad.forEach((run, i) => {
        equal(run.code, 2, `case ${i}: ${run.stderr}`);
        match(run.stderr, reasons[i]);
        match(run.stderr, /Usage: deno task chat "QUESTION" --customer ID/);
        equal(run.stdout, "");
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
