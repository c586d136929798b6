import assert from "node:assert/strict";
import { join } from "node:path";
import { isTinyPassage, manualDocuments } from "../lib/products/documents.ts";
import { loadDataSet } from "../lib/seed/load_data.ts";
import { type ManualLayout, writeCatalog } from "./_catalog.ts";
import { RESERVED_MODELS } from "./_catalog_words.ts";
import { ROOT } from "./_process.ts";

const DATA = join(ROOT, "data");

async function files(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  return names.sort();
}

async function withCatalog(
  products: number,
  run: (
    dir: string,
    expected: Map<string, { productId: string; layout: ManualLayout }>,
  ) => Promise<void>,
  options: { seed?: number; source?: string; customers?: number } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "catalog-test-" });
  const expected = new Map<string, { productId: string; layout: ManualLayout }>();
  try {
    await writeCatalog(dir, {
      products,
      ...options,
      onManual: (m) => expected.set(m.file, { productId: m.productId, layout: m.layout }),
    });
    await run(dir, expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writeCatalog() keeps every record of data/ byte for byte", async () => {
  await withCatalog(200, async (dir) => {
    const csv = await Deno.readTextFile(join(dir, "products.csv"));
    assert.ok(csv.startsWith(await Deno.readTextFile(join(DATA, "products.csv"))));
    for (const sub of ["manuals", "customers", "search", "eval"]) {
      for (const name of await files(join(DATA, sub))) {
        assert.deepEqual(
          await Deno.readFile(join(dir, sub, name)),
          await Deno.readFile(join(DATA, sub, name)),
          `${sub}/${name} changed`,
        );
      }
    }
  });
});

Deno.test("writeCatalog() writes a folder the seeding loader reads without a problem", async (t) => {
  await withCatalog(400, async (dir, expected) => {
    const data = await loadDataSet(dir);
    await t.step("no record is skipped", () => {
      assert.deepEqual(data.problems, []);
      assert.equal(data.products.length, 400);
      assert.equal(data.manuals.length, 400);
      assert.equal(data.manualsSkipped, 0);
      assert.equal(data.customers.length, 40);
    });
    await t.step("each generated manual links to its own product, by its layout's rule", () => {
      assert.equal(expected.size, 376);
      const layouts = new Set([...expected.values()].map((e) => e.layout));
      assert.deepEqual(
        [...layouts].sort(),
        ["declared id", "file name", "front matter", "product name"],
      );
      for (const m of data.manuals) {
        const want = expected.get(m.file);
        if (!want) continue; // one of data/'s own manuals
        assert.equal(m.productId, want.productId, m.file);
        assert.equal(m.linkedBy, want.layout, m.file);
      }
      assert.equal(
        data.manuals.filter((m) => !expected.has(m.file)).map((m) => m.productId).sort((a, b) =>
          Number(a) - Number(b)
        ).join(","),
        Array.from({ length: 24 }, (_, i) => i + 1).join(","),
      );
    });
    await t.step("about six passages per generated manual, none tiny", () => {
      const byId = new Map(data.products.map((p) => [p.id, p]));
      const counts = data.manuals.filter((m) => expected.has(m.file)).map((m) => {
        const docs = manualDocuments(m, byId.get(m.productId));
        assert.equal(docs.filter(isTinyPassage).length, 0, m.file);
        return docs.length;
      });
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      assert.ok(mean >= 5.5 && mean <= 7, `mean ${mean}`);
      assert.ok(Math.min(...counts) >= 4, `min ${Math.min(...counts)}`);
    });
    await t.step("product names are unique and every order copies its product", () => {
      assert.equal(new Set(data.products.map((p) => p.name.toLowerCase())).size, 400);
      for (const p of data.products) {
        assert.ok(!RESERVED_MODELS.has(p.name.split(" ")[0].toLowerCase()), p.name);
      }
      const byId = new Map(data.products.map((p) => [p.id, p]));
      const orderIds = new Set<string>();
      for (const c of data.customers) {
        assert.ok(c.orders.length >= 1, c.id);
        for (const o of c.orders) {
          const p = byId.get(String(o.productId));
          assert.ok(p, `order ${o.id} names product ${o.productId}`);
          assert.equal(o.name, p.name);
          assert.equal(o.unitprice, p.price);
          assert.equal(o.total, Number((o.quantity * p.price).toFixed(2)));
          assert.match(o.date, /^\d{4}-\d{2}-\d{2}$/);
          assert.ok(!orderIds.has(String(o.id)), `order id ${o.id} repeated`);
          orderIds.add(String(o.id));
        }
      }
    });
  });
});

Deno.test("writeCatalog() is deterministic, and a smaller catalog is a prefix of a larger", async (t) => {
  const snapshot = async (dir: string) => {
    const out = new Map<string, string>();
    for (const sub of ["manuals", "customers"]) {
      for (const name of await files(join(dir, sub))) {
        out.set(`${sub}/${name}`, await Deno.readTextFile(join(dir, sub, name)));
      }
    }
    out.set("products.csv", await Deno.readTextFile(join(dir, "products.csv")));
    return out;
  };
  let small = new Map<string, string>();
  await withCatalog(80, async (dir) => {
    small = await snapshot(dir);
  }, { customers: 20 });
  await t.step("the same options give the same bytes", async () => {
    await withCatalog(80, async (dir) => {
      assert.deepEqual(await snapshot(dir), small);
    }, { customers: 20 });
  });
  await t.step("the first 80 products and manuals of 160 are the 80", async () => {
    await withCatalog(160, async (dir) => {
      const large = await snapshot(dir);
      for (const [name, text] of small) {
        // Customers' orders are drawn from the whole catalog, so only they differ.
        if (name === "products.csv") assert.ok(large.get(name)!.startsWith(text));
        else if (name.startsWith("manuals/")) assert.equal(large.get(name), text, name);
      }
    }, { customers: 30 });
  });
  await t.step("another seed gives another catalog", async () => {
    await withCatalog(80, async (dir) => {
      const other = await snapshot(dir);
      assert.notEqual(other.get("products.csv"), small.get("products.csv"));
    }, { customers: 20, seed: 99 });
  });
});

Deno.test("writeCatalog() grows a foreign catalog with non-numeric ids", async () => {
  const source = join(ROOT, "lib/seed/testdata/paddle_catalog");
  const real = await loadDataSet(source);
  await withCatalog(80, async (dir, generated) => {
    const data = await loadDataSet(dir);
    // Its deliberately bad row (no name) is reported at the same line, and nothing else.
    const where = (ps: typeof data.problems) =>
      ps.map((p) => `${p.file.slice(p.file.lastIndexOf("/") + 1)}:${p.line} ${p.message}`);
    assert.deepEqual(where(data.problems), where(real.problems));
    // The total counts the source's rows, the bad one too.
    assert.equal(generated.size, 80 - 19); // its 19 rows
    assert.equal(data.products.length, real.products.length + generated.size);
    assert.equal(data.manuals.length, real.manuals.length + generated.size);
    const links = new Map(data.manuals.map((m) => [m.file, m.productId]));
    for (const m of real.manuals) assert.equal(links.get(m.file), m.productId, m.file);
    const ids = new Set(data.products.map((p) => p.id));
    for (const c of data.customers) {
      for (const o of c.orders) assert.ok(ids.has(String(o.productId)), String(o.productId));
    }
  }, { source, customers: 10 });
});

Deno.test("writeCatalog() refuses fewer products than the source holds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "catalog-test-" });
  try {
    await assert.rejects(
      writeCatalog(dir, { products: 10 }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message === "Cannot generate a catalog of 10 products: the source has 24",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
