/**
 * `deno task eval:generate`: draft an evaluation set from the product manuals for a person to
 * curate. With a real chat model configured, a seeded sample of manual passages each gets a
 * question and a reference answer written by the model (`prompts/eval_generate.prompty`);
 * offline (or with `--faq`), the manuals' FAQ entries become the rows. Rows are JSONL in the
 * evaluation format plus `source`, `passageId` and `productId`; the draft goes to
 * `.runs/generated/<timestamp>.jsonl` and never over `data/eval`.
 *
 * @module
 */
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { loadConfig, readEnvironment } from "../lib/config/mod.ts";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { errorMessage } from "../lib/errors.ts";
import { createConfiguredChatModel, resolveProjectPath } from "../lib/runtime/mod.ts";
import { loadDataSet } from "../lib/seed/mod.ts";
// Not lib/evaluate/mod.ts: its charts load Plot and linkedom (about 250 ms) for a command that
// draws none.
import {
  DEFAULT_GENERATE_COUNT,
  DEFAULT_GENERATE_SEED,
  faqRows,
  type GeneratedRow,
  loadManualsFrom,
  modelRows,
  toJsonl,
} from "../lib/evaluate/generate.ts";
import { runTimestamp } from "../lib/evaluate/run_dir.ts";

const USAGE =
  `Usage: deno task eval:generate [--data DIR] [--manuals DIR] [--out FILE] [--count N] [--seed N] [--faq]

  --data DIR      data folder with products.csv, customers/ and manuals/ (default: CONTOSO_DATA_DIR
                  or data)
  --manuals DIR   take the manuals from DIR instead (linked to the data folder's products)
  --out FILE      where the draft goes (default .runs/generated/<timestamp>.jsonl); never data/eval
  --count N       passages to draft from (default ${DEFAULT_GENERATE_COUNT} with a model; offline: every
                  FAQ entry, or a sample of N)
  --seed N        seed of the passage sample (default ${DEFAULT_GENERATE_SEED})
  --faq           use the manuals' FAQ entries even when a real model is configured

Exit status: 0 draft written; 1 no row could be drafted; 2 bad arguments.`;

// `deno task` runs in the project root; paths on the command line are the caller's.
const callerDir = Deno.env.get("INIT_CWD") ?? Deno.cwd();
const fromCaller = (path: string) => (isAbsolute(path) ? path : resolve(callerDir, path));

function wholeNumber(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${value}"`);
  }
  return n;
}

async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, {
    data: { type: "string" },
    manuals: { type: "string" },
    out: { type: "string" },
    count: { type: "string" },
    seed: { type: "string" },
    faq: { type: "boolean", default: false },
  }).values;
  if (parsed.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const count = wholeNumber("count", parsed.count, 1);
  const seed = wholeNumber("seed", parsed.seed, 0) ?? DEFAULT_GENERATE_SEED;
  const config = loadConfig(readEnvironment());
  const dataDir = parsed.data ? fromCaller(parsed.data) : resolveProjectPath(config.dataDir);
  const out = parsed.out
    ? fromCaller(parsed.out)
    : resolveProjectPath(join(".runs", "generated", `${runTimestamp(new Date())}.jsonl`));
  const evalDir = resolve(dataDir, "eval");
  const rel = relative(evalDir, resolve(out));
  if (!rel.startsWith("..") && !isAbsolute(rel)) {
    throw new UsageError(`--out must not be inside ${evalDir}: curate the draft, then copy it`);
  }

  const data = await loadDataSet(dataDir).catch((e) => {
    throw new UsageError(errorMessage(e));
  });
  if (parsed.manuals) {
    const loaded = await loadManualsFrom(fromCaller(parsed.manuals), data.products).catch((e) => {
      throw new UsageError(errorMessage(e));
    });
    for (const p of loaded.problems) console.error(`skipped manual ${p}`);
    data.manuals = loaded.manuals;
  }

  let rows: GeneratedRow[];
  const chat = config.chat;
  if (parsed.faq || chat.backend === "offline") {
    console.log(
      `Drafting from the FAQ entries of ${data.manuals.length} manuals` +
        (chat.backend === "offline" && !parsed.faq
          ? " (offline: no real chat model configured)"
          : ""),
    );
    rows = faqRows(data, { count, seed });
  } else {
    const model = await createConfiguredChatModel(config);
    const n = count ?? DEFAULT_GENERATE_COUNT;
    console.log(`Drafting from ${n} sampled passages with ${model.name} (seed ${seed})`);
    rows = await modelRows(data, model, {
      count: n,
      seed,
      onProblem: (p) => console.error(`skipped passage ${p.passageId}: ${p.message}`),
    });
  }
  if (rows.length === 0) {
    console.error("No row could be drafted (no FAQ entries, or every model call failed)");
    return EXIT.failed;
  }
  await Deno.mkdir(dirname(out), { recursive: true });
  await Deno.writeTextFile(out, toJsonl(rows));
  const bySource = rows.filter((r) => r.source === "faq").length;
  console.log(
    `Wrote ${rows.length} rows (${bySource} from FAQ entries, ${
      rows.length - bySource
    } written by the model) to ${out}`,
  );
  console.log("Review every question and answer before you copy rows into an evaluation set.");
  return EXIT.ok;
}

Deno.exit(await runCommand(() => main(Deno.args), { usage: USAGE }));
