/**
 * A large data folder for seeding tests, written the way another shop might lay its catalog out:
 * SKU-style ids, a quoted multi-line description now and then, manuals named by id, by slug
 * with front matter, or by a declared id. With `bad: true` it also plants bad records at known
 * places (a row with no name, a row with a wordy price, a broken and an incomplete customer
 * file, a broken evaluation line, a manual that names no product) and says where they are.
 *
 * @module
 */
import { join } from "node:path";

const CATEGORIES = ["Tents", "Backpacks", "Hiking Clothing", "Cooking", "Navigation", "Lighting"];
const NOUNS = ["Shelter", "Pack", "Shell", "Pot Set", "Compass", "Headlamp"];

/** Where {@link writeTestCatalog} planted its bad records. */
export interface PlantedRecords {
  /** Catalog indexes of the two bad rows (their products get no manual). */
  badRows: number[];
  /** products.csv lines of the row with no name and the row with a wordy price. */
  emptyNameLine: number;
  badPriceLine: number;
}

/** The id of the i-th product. */
export const skuOf = (i: number) => `SKU-${String(i).padStart(5, "0")}`;

/** The manual file name of the i-th product. */
export function manualFileOf(i: number): string {
  return i % 3 === 0
    ? `${skuOf(i).toLowerCase()}-guide.md`
    : i % 3 === 1
    ? `guide-${i}.md`
    : `manual_${i}.md`;
}

/** The manual text of the i-th product (`edition` changes its care section). */
export function manualTextOf(i: number, edition = 1): string {
  const noun = NOUNS[i % 6].toLowerCase();
  const body = [
    `## Setting up\nUnpack the ${noun} and check every part against the list in the box before the first trip; a missing part is replaced free of charge within thirty days.`,
    `## Care\nClean it with lukewarm water and a soft brush, let it dry fully in the shade, and store it loose in a dry, cool place away from sunlight and solvents.${
      edition > 1 ? ` Edition ${edition}: reproof the outer fabric once a season.` : ""
    }`,
    `## Warranty\nTwo years against defects in materials and workmanship from the date of purchase; wear from normal use, accidents and unauthorised repairs are not covered.`,
  ].join("\n\n");
  const id = skuOf(i);
  return i % 3 === 0
    ? `# Guide\n\n${body}`
    : i % 3 === 1
    ? `---\nproduct_id: ${id}\n---\n# Owner's guide\n\n${body}`
    : `# Manual\n\nItem number: ${id}\n\n${body}`;
}

/** Write a catalog of `products` products (and a customer per 50, 200 at least) into `dir`. */
export async function writeTestCatalog(
  dir: string,
  options: { products: number; bad?: boolean },
): Promise<PlantedRecords> {
  const n = options.products;
  const badRows = options.bad ? [Math.floor(n * 0.4321), Math.floor(n * 0.8765)] : [];
  const rows = ["id,name,price,category,brand,description"];
  let line = 2;
  const lineOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const name = `${["Alder", "Birch", "Cedar", "Dune", "Elm"][i % 5]} ${NOUNS[i % 6]} ${i}`;
    const multiline = i % 997 === 0;
    const description = multiline
      ? `"Built for long trips.\nSecond line of the description, with a ""quote""."`
      : `Reliable ${NOUNS[i % 6].toLowerCase()} number ${i} for three-season use.`;
    const price = (10 + (i % 90)).toFixed(2);
    lineOf.set(i, line);
    if (i === badRows[0]) rows.push(`${skuOf(i)},,${price},Tents,Northfold,${description}`);
    else if (i === badRows[1]) {
      rows.push(`${skuOf(i)},${name},about ten,Tents,Northfold,${description}`);
    } else rows.push(`${skuOf(i)},${name},${price},${CATEGORIES[i % 6]},Northfold,${description}`);
    line += multiline ? 2 : 1;
  }
  for (const sub of ["manuals", "customers", "eval"]) {
    await Deno.mkdir(join(dir, sub), { recursive: true });
  }
  await Deno.writeTextFile(join(dir, "products.csv"), rows.join("\n") + "\n");

  const writes: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    if (badRows.includes(i)) continue; // their rows are bad: no manual to link
    writes.push(Deno.writeTextFile(join(dir, "manuals", manualFileOf(i)), manualTextOf(i)));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  if (options.bad) {
    writes.push(
      Deno.writeTextFile(join(dir, "manuals", "zz-orphan.md"), "# Spare parts list\n\nBolts."),
    );
  }
  const customers = Math.max(200, Math.ceil(n / 50));
  for (let c = 1; c <= customers; c++) {
    const text = options.bad && c === 57
      ? "{ this is not json"
      : options.bad && c === 133
      ? JSON.stringify({ id: c, lastName: "No-First-Name" })
      : JSON.stringify({ id: `C${c}`, firstName: `Kim${c}`, lastName: "Q", orders: [] });
    writes.push(Deno.writeTextFile(join(dir, "customers", `customer-${c}.json`), text));
  }
  const evalRows = Array.from(
    { length: 500 },
    (_, r) =>
      options.bad && r === 376 ? "{broken" : JSON.stringify({
        customerId: "C1",
        question: `Which pack for trip ${r}?`,
        intent: "product",
      }),
  );
  writes.push(Deno.writeTextFile(join(dir, "eval", "large.jsonl"), evalRows.join("\n")));
  await Promise.all(writes);
  return {
    badRows,
    emptyNameLine: lineOf.get(badRows[0]) ?? 0,
    badPriceLine: lineOf.get(badRows[1]) ?? 0,
  };
}
