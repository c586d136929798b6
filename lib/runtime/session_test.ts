import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/types.ts";
import { NotFoundError } from "../errors.ts";
import type { ComposedRuntime, RuntimeOptions } from "./mod.ts";
import { resolveProjectPath } from "./paths.ts";
import { dataProblemBanner, dataProblemsTable, notebookSession } from "./session.ts";

/** A fake opener: counts opens and closes, reports the given problems while "seeding". */
function fakeOpener(problems: { file: string; message: string; line?: number }[] = []) {
  const log: string[] = [];
  let opens = 0;
  const open = (config: Config, options: RuntimeOptions) => {
    const n = ++opens;
    log.push(`open ${n}`);
    for (const p of problems) options.onDataProblem?.(p);
    const runtime = {
      config,
      customers: {
        backend: "fake",
        get: (id: string) =>
          id === "2"
            ? Promise.resolve({ id: "2", firstName: "Ines" })
            : Promise.reject(new NotFoundError("customer", id)),
      },
      close: () => {
        log.push(`close ${n}`);
        return Promise.resolve();
      },
    };
    return Promise.resolve(runtime as unknown as ComposedRuntime);
  };
  return { open, log, opens: () => opens };
}

const config = loadConfig({});

Deno.test("notebookSession() opens lazily and reopens after close", async (t) => {
  await t.step("nothing opens until runtime(); concurrent calls share one open", async () => {
    const fake = fakeOpener();
    const session = notebookSession(config, { open: fake.open, slot: null });
    equal(fake.opens(), 0);
    equal(session.isOpen, false);
    const [a, b] = await Promise.all([session.runtime(), session.runtime()]);
    equal(a, b);
    equal(fake.opens(), 1);
    equal(await session.runtime(), a);
    equal(session.isOpen, true);
    await session.close();
  });

  await t.step("after close() a re-run cell gets a fresh runtime", async () => {
    const fake = fakeOpener();
    const session = notebookSession(config, { open: fake.open, slot: null });
    const first = await session.runtime();
    await session.close();
    await session.close(); // the last cell run twice
    equal(session.isOpen, false);
    const second = await session.runtime();
    ok(first !== second);
    deepEqual(fake.log, ["open 1", "close 1", "open 2"]);
    await session.close();
  });

  await t.step("restart() closes and opens again (the cell that starts the services)", async () => {
    const fake = fakeOpener();
    const session = notebookSession(config, { open: fake.open, slot: null });
    const first = await session.restart();
    const second = await session.restart();
    ok(first !== second);
    deepEqual(fake.log, ["open 1", "close 1", "open 2"]);
    await session.close();
  });

  await t.step("closing the runtime it handed out closes the session", async () => {
    const fake = fakeOpener();
    const session = notebookSession(config, { open: fake.open, slot: null });
    const runtime = await session.runtime();
    await runtime.close();
    equal(session.isOpen, false);
    await session.runtime();
    deepEqual(fake.log, ["open 1", "close 1", "open 2"]);
    await session.close();
  });

  await t.step("re-running the first cell closes the session it replaces", async () => {
    const fake = fakeOpener();
    const slot = `test.session.${crypto.randomUUID()}`;
    const old = notebookSession(config, { open: fake.open, slot });
    await old.runtime();
    const replacing = notebookSession(config, { open: fake.open, slot });
    await replacing.runtime();
    equal(old.isOpen, false);
    deepEqual(fake.log, ["open 1", "close 1", "open 2"]);
    await replacing.close();
  });

  await t.step("configure() closes, and the next open uses the new configuration", async () => {
    const fake = fakeOpener();
    const session = notebookSession(config, { open: fake.open, slot: null });
    await session.runtime();
    const other = loadConfig({ CONTOSO_DATA_DIR: "/elsewhere" });
    await session.configure(other);
    equal(session.isOpen, false);
    equal((await session.runtime()).config.dataDir, "/elsewhere");
    await session.configure(other); // same configuration: nothing closes
    equal(session.isOpen, true);
    await session.close();
  });
});

Deno.test("NotebookSession.resource() keeps one per name and stops it before the runtime", async (t) => {
  const fake = fakeOpener();
  const session = notebookSession(config, { open: fake.open, slot: null });
  let made = 0;
  const server = (runtime: ComposedRuntime) => {
    const n = ++made;
    return {
      runtime,
      shutdown: () => {
        fake.log.push(`shutdown server ${n}`);
        return Promise.resolve();
      },
    };
  };

  await t.step("get-or-open: a re-run cell gets the same one", async () => {
    const a = await session.resource("server", server);
    const b = await session.resource("server", server);
    equal(a, b);
    equal(made, 1);
    equal(a.runtime, await session.runtime());
  });

  await t.step("close() stops resources first; a re-run after it opens both again", async () => {
    await session.resource("client", () => ({
      close: () => void fake.log.push("close client"),
    }));
    await session.close();
    deepEqual(fake.log, ["open 1", "close client", "shutdown server 1", "close 1"]);
    const again = await session.resource("server", server);
    equal(made, 2);
    equal(again.runtime, await session.runtime());
  });

  await t.step("release() stops one resource and leaves the runtime open", async () => {
    await session.release("server");
    await session.release("server");
    equal(fake.log.at(-1), "shutdown server 2");
    equal(session.isOpen, true);
    await session.close();
  });
});

Deno.test("NotebookSession data problems: banner, table, missing customer", async (t) => {
  const broken = {
    file: join(Deno.cwd(), "data", "customers", "1.json"),
    message: "invalid JSON: Expected ',' or '}' after property value in JSON at position 40 " +
      "(line 3 column 5)",
  };

  await t.step("no skipped records: no banner, an empty table", async () => {
    const session = notebookSession(config, { open: fakeOpener().open, slot: null });
    await session.runtime();
    equal(session.banner(), undefined);
    equal(dataProblemBanner([]), undefined);
    ok(String(session.problemsTable()).includes("0 data records skipped"));
    await session.close();
  });

  await t.step("the banner and the table name the file and line", async () => {
    const seen: string[] = [];
    const session = notebookSession(config, {
      open: fakeOpener([broken]).open,
      slot: null,
      onDataProblem: (p) => seen.push(p.file),
    });
    await session.runtime();
    deepEqual(seen, [broken.file]);
    equal(session.problems.length, 1);
    const banner = session.banner()!;
    ok(banner.bundle["text/html"].includes('data-display="data-problems"'));
    ok(banner.bundle["text/html"].includes("data/customers/1.json (line 3)"));
    ok(String(banner).includes("1 skipped data record"));
    const shown = dataProblemsTable(session.problems);
    ok(/<td[^>]*>data\/customers\/1\.json<\/td>/.test(shown.bundle["text/html"]));
    ok(/<td[^>]*>3<\/td>/.test(shown.bundle["text/html"]));
    await session.close();
  });

  await t.step("customer() names the file to fix; other customers load", async () => {
    const session = notebookSession(config, { open: fakeOpener([broken]).open, slot: null });
    equal((await session.customer("2")).id, "2");
    await rejects(session.customer("1"), (error: Error) => {
      ok(error instanceof NotFoundError);
      ok(error.message.startsWith("Customer 1 is not in the store: data/customers/1.json"));
      ok(error.message.includes("line 3"));
      return true;
    });
    equal(session.missingCustomer("1"), (await session.customer("1").catch((e) => e)).message);
    await session.close();
  });

  await t.step("a banner for many problems lists five and counts the rest", () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ file: `m/${i}.md`, message: "unlinked" }));
    const text = String(dataProblemBanner(many));
    ok(text.includes("m/4.md") && !text.includes("m/5.md"));
    ok(text.includes("… and 3 more"));
  });
});

Deno.test("notebookSession() on the embedded services: re-opens after close, names a broken file", async () => {
  // A copy of the project's data with one customer file broken, as a learner's edit might leave it.
  const dir = await Deno.makeTempDir({ prefix: "session_data_" });
  cpSync(resolveProjectPath("data"), dir, { recursive: true });
  const file = join(dir, "customers", "1.json");
  await Deno.writeTextFile(file, (await Deno.readTextFile(file)).replace(",", ""));
  const session = notebookSession(loadConfig({ CONTOSO_DATA_DIR: dir }), { slot: null });
  try {
    const first = await session.runtime();
    equal(session.problems.length, 1);
    equal(session.problems[0].file, file);
    ok(String(session.banner()).includes(`${file} (line `));
    await rejects(session.customer("1"), new RegExp(`^NotFoundError: Customer 1 .*${file}`));
    equal((await session.customer("2")).id, "2");
    const count = await first.customers.count();

    await session.close();
    // The old runtime's store is gone, as after a notebook's last cell; the session opens anew.
    await rejects(first.customers.count());
    equal(await (await session.runtime()).customers.count(), count);
  } finally {
    await session.close();
    await Deno.remove(dir, { recursive: true });
  }
});
