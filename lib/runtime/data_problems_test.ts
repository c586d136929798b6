import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { loadDataSet } from "../seed/load_data.ts";
import {
  dataProblemRow,
  displayPath,
  explainMissingCustomer,
  formatDataProblem,
} from "./data_problems.ts";

const made: string[] = [];

/** A small data folder, written the way another team might lay theirs out. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "data_problems_" });
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, name, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, name), text);
  }
  return dir;
}

const customer = (id: string | number, firstName: string) =>
  JSON.stringify(
    {
      id,
      firstName,
      lastName: "Okafor",
      age: 41,
      email: `${firstName.toLowerCase()}@example.org`,
      phone: "555-0100",
      address: "1 Pine Rd",
      membership: "Gold",
      orders: [],
    },
    null,
    2,
  );

Deno.test("dataProblemRow() gives the file relative to the root and the parser's line", async (t) => {
  await t.step("a file broken on line 4, as the real loader reports it", async () => {
    const good = customer("c-17", "Amara");
    const broken = good.replace('"lastName"', "lastName"); // unquoted key on line 4
    const dir = await folder({ "customers/c-17.json": broken, "customers/c-18.json": good });
    const data = await loadDataSet(dir);
    const problems = data.problems.filter((p) => p.file.includes("customers"));
    equal(problems.length, 1);
    const row = dataProblemRow(problems[0], { root: dir });
    equal(row.file, join("customers", "c-17.json"));
    equal(row.line, broken.split("\n").findIndex((l) => l.includes("lastName")) + 1);
    ok(row.reason.startsWith("invalid JSON"));
    equal(
      formatDataProblem(problems[0], { root: dir }),
      `${row.file} (line 4): ${row.reason}`,
    );
  });

  await t.step("the loader's own line wins; no line when neither knows one", () => {
    deepEqual(
      dataProblemRow({ file: "/x/eval/set.jsonl", line: 9, message: "missing question" }, {
        root: "/x",
      }),
      { file: "eval/set.jsonl", line: 9, reason: "missing question" },
    );
    equal(dataProblemRow({ file: "products.csv", message: "the file is empty" }).line, undefined);
  });

  await t.step("displayPath() leaves files outside the root as they are", () => {
    equal(
      displayPath("/srv/catalog/customers/3.json", "/work/repo"),
      "/srv/catalog/customers/3.json",
    );
    equal(displayPath("/work/repo/data/a.md", "/work/repo"), join("data", "a.md"));
    equal(displayPath("data/a.md", "/work/repo"), "data/a.md");
  });
});

Deno.test("explainMissingCustomer() names the data file to fix", async (t) => {
  await t.step("the file named after the id", async () => {
    const dir = await folder({ "customers/42.json": "{ not json" });
    const { problems } = await loadDataSet(dir);
    const why = explainMissingCustomer("42", problems, { root: dir });
    ok(
      why.startsWith(
        `Customer 42 is not in the store: ${join("customers", "42.json")} was skipped`,
      ),
    );
    ok(why.includes("invalid JSON"));
  });

  await t.step("a file with another name whose text declares the id", async () => {
    const dir = await folder({
      "customers/amara.json": customer("c-17", "Amara").replace('"firstName"', "firstName"),
      "customers/bo.json": customer(7, "Bo").replace("}", ""),
    });
    const { problems } = await loadDataSet(dir);
    ok(explainMissingCustomer("c-17", problems, { root: dir }).includes("amara.json was skipped"));
    ok(explainMissingCustomer("7", problems, { root: dir }).includes("bo.json was skipped"));
  });

  await t.step("an invalid record (valid JSON) is named too", async () => {
    const dir = await folder({ "customers/5.json": JSON.stringify({ id: "5", orders: [] }) });
    const { problems } = await loadDataSet(dir);
    const why = explainMissingCustomer("5", problems, { root: dir });
    ok(
      why.startsWith(
        `Customer 5 is not in the store: ${join("customers", "5.json")} was skipped (`,
      ),
    );
  });

  await t.step("no culprit: the skipped customer files, or a check of the id", async () => {
    const dir = await folder({ "customers/zed.json": "[" });
    const { problems } = await loadDataSet(dir);
    const why = explainMissingCustomer("99", problems, { root: dir });
    ok(why.startsWith("Customer 99 is not in the store; 1 customer file was skipped: "));
    ok(why.includes("zed.json"));
    equal(
      explainMissingCustomer("99", [{ file: "/d/manuals/x.md", message: "no product" }]),
      "Customer 99 is not in the store (no customer data file was skipped: check the id)",
    );
    ok(explainMissingCustomer("99", [], { seeded: false }).includes("`deno task seed`"));
  });
});

Deno.test("data_problems_test: remove the temporary folders", async () => {
  for (const dir of made.splice(0)) await Deno.remove(dir, { recursive: true });
});
