/**
 * The manuals of the benchmark's generated products (see bench/_catalog.ts), in four layouts
 * that different writers would use, one for each rule seeding links a manual by: the id leading
 * the file name (our own layout), a YAML front matter `productId`, an id declared in the first
 * lines (`**Product ID:** 7`, `item_number: 7`, `SKU: 7`), and the product's name in the title or
 * a `Model:` line. Headings, spec lists or tables and question styles differ per layout; each
 * manual gives about six passages once seeding merges its short sections.
 *
 * @module
 */
import type { GeneratedProduct } from "./_catalog.ts";
import { COMMON_EXCLUSIONS, WARRANTY_YEARS } from "./_catalog_words.ts";

/** The rule seeding is expected to link a generated manual by. */
export type ManualLayout = "file name" | "front matter" | "declared id" | "product name";

/** A generated manual. */
export interface GeneratedManual {
  file: string;
  markdown: string;
  layout: ManualLayout;
}

/** One element of a list, chosen by `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `count` distinct elements of a list, in a random order. */
export function sample<T>(random: () => number, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, Math.min(count, copy.length));
}

/** A file-name slug: lower case, ASCII letters and digits, dashes between. */
export function slug(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

const OPENERS = [
  "{is} {brand}'s {kind} for {use}.",
  "{was} designed by {brand} for {use}.",
  "{is} the {kind} {brand} makes for {use}.",
];

const MIDDLES = [
  "{It} {combines} {f1} with {f2}, and {weighs} {weight}.",
  "At {weight}, {it} {offers} {f1} and {f2}.",
  "{Its} main strengths are {f1} and {f2}; {it} {weighs} {weight} in all.",
];

const CLOSERS = [
  "This manual explains how to set it up, how to look after it and what the warranty covers.",
  "Read these pages before the first trip and keep them with your other gear notes.",
  "The sections below cover first use, care, the guarantee and the questions customers ask most.",
];

/** Whether a kind names a pair or a set ("Trekking Poles", "Hiking Boots"). */
function isPlural(kind: string): boolean {
  return /(?:Poles|Boots|Shoes|Sandals|Pants|Lights)$/.test(kind);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}

function intro(p: GeneratedProduct, random: () => number): string {
  const [f1, f2] = sample(random, p.words.features, 2).map((f) => f.toLowerCase());
  const plural = isPlural(p.kind);
  const values = {
    is: plural ? "are" : "is",
    was: plural ? "were" : "was",
    It: plural ? "They" : "It",
    it: plural ? "they" : "it",
    Its: plural ? "Their" : "Its",
    combines: plural ? "combine" : "combines",
    offers: plural ? "offer" : "offers",
    weighs: plural ? "weigh" : "weighs",
    brand: p.brand,
    kind: p.kind.toLowerCase(),
    use: p.use,
    f1,
    f2: f2 ?? "a carry bag",
    weight: p.specs[0][1],
  };
  return [
    `The ${p.shortName} ${fill(pick(random, OPENERS), values)}`,
    fill(pick(random, MIDDLES), values),
    pick(random, CLOSERS),
  ].join(" ");
}

function warranty(p: GeneratedProduct, random: () => number): string {
  const years = pick(random, WARRANTY_YEARS);
  const term = years === 0
    ? "for the lifetime of the product"
    : `for ${years} year${years > 1 ? "s" : ""} from the date of purchase`;
  const excluded = [
    ...sample(random, p.words.exclusions, 1),
    ...sample(random, COMMON_EXCLUSIONS, 2),
  ];
  return `${p.brand} guarantees the ${p.shortName} against defects in materials and workmanship ${term}. ` +
    `The warranty does not cover ${excluded.slice(0, -1).join(", ")} or ${excluded.at(-1)}. ` +
    `To make a claim, contact Contoso Outdoors with your order number and a photo of the fault.`;
}

const RETURNS =
  "Unused items in their original packaging can be sent back to Contoso Outdoors within 30 days " +
  "of delivery for Base members, 60 days for Gold members and 90 days for Platinum members, for a " +
  "full refund. Used items are exchanged for store credit within the same window.";

function faq(p: GeneratedProduct, random: () => number, count: number): [string, string][] {
  return sample(random, p.words.faq, count).map(([q, a]) => [
    q.replaceAll("{name}", `the ${p.shortName}`),
    a.replaceAll("{name}", `the ${p.shortName}`),
  ]);
}

function care(p: GeneratedProduct, random: () => number, count: number): string[] {
  return sample(random, p.words.care, count);
}

function fileNameLayout(p: GeneratedProduct, random: () => number): GeneratedManual {
  const parts = [
    `# ${p.name} — User Manual`,
    intro(p, random),
    "## Features",
    sample(random, p.words.features, 4 + Math.floor(random() * 3)).map((f) => `- ${f}`).join("\n"),
    "## Technical Specifications",
    p.specs.map(([k, v]) => `- ${k}: ${v}`).join("\n"),
    "## Care and Maintenance",
    care(p, random, 3).join(" "),
    "## Warranty",
    warranty(p, random),
  ];
  if (random() < 0.4) parts.push("## Return Policy", RETURNS);
  parts.push(
    "## FAQ",
    faq(p, random, 2 + Math.floor(random() * 2)).map(([q, a]) => `**Q: ${q}**\n\n${a}`).join(
      "\n\n",
    ),
  );
  return {
    file: `${p.id}-${slug(p.name)}.md`,
    markdown: `${parts.join("\n\n")}\n`,
    layout: "file name",
  };
}

function frontMatterLayout(p: GeneratedProduct, random: () => number): GeneratedManual {
  const [afterTrip, storage] = care(p, random, 3);
  const features = sample(random, p.words.features, 3).map((f) => f.toLowerCase());
  const parts = [
    `---\nproductId: "${p.id}"\nbrand: ${p.brand}\nrevision: 2026-0${
      1 + Math.floor(random() * 9)
    }\n---`,
    `# ${p.name} Owner's Guide`,
    "## Getting Started",
    intro(p, random),
    "## Specifications",
    ["| Property | Value |", "| --- | --- |", ...p.specs.map(([k, v]) => `| ${k} | ${v} |`)].join(
      "\n",
    ),
    "## What Sets It Apart",
    `Compared with other ${p.category.toLowerCase()} in the range, the ${p.shortName} adds ` +
    `${features.slice(0, -1).join(", ")} and ${features.at(-1)}. It suits ${p.use}, and ` +
    `${p.brand} tested it through a full season before release.`,
    `## Looking After Your ${p.shortName}`,
    `### After every trip\n\n${afterTrip}\n\n### Storage\n\n${storage}`,
    "## Guarantee",
    warranty(p, random),
    "## Questions and Answers",
    faq(p, random, 2).map(([q, a]) => `Q: ${q}\nA: ${a}`).join("\n\n"),
  ];
  return {
    file: `${slug(p.brand)}-${slug(p.name)}.md`,
    markdown: `${parts.join("\n\n")}\n`,
    layout: "front matter",
  };
}

const DECLARATIONS = ["**Product ID:** {id}", "item_number: {id}", "SKU: {id}", "Item #{id}"];

function declaredIdLayout(p: GeneratedProduct, random: () => number): GeneratedManual {
  const parts = [
    `# ${p.brand} ${p.shortName} instructions`,
    pick(random, DECLARATIONS).replace("{id}", p.id),
    intro(p, random),
    "## Before You Start",
    `Check that the ${p.kind.toLowerCase()} arrived complete and undamaged, and try ` +
    `${isPlural(p.kind) ? "them" : "it"} once at ` +
    `home. ${
      pick(random, p.words.care)
    } Keep the receipt: the warranty starts on the day of purchase.`,
    "## Specs",
    p.specs.map(([k, v]) => `- **${k}** — ${v}`).join("\n"),
    "## Cleaning and Storage",
    care(p, random, 2).map((c) => `- ${c}`).join("\n"),
    "## Warranty Terms",
    warranty(p, random),
    "## Troubleshooting",
    faq(p, random, 2).map(([q, a]) => `### ${q}\n\n${a}`).join("\n\n"),
  ];
  return {
    file: `${slug(p.name)}-instructions.md`,
    markdown: `${parts.join("\n\n")}\n`,
    layout: "declared id",
  };
}

function productNameLayout(p: GeneratedProduct, random: () => number): GeneratedManual {
  const titled = random() < 0.5;
  const head = titled
    ? [`# ${p.name}: Instructions for Use`]
    : ["# User Guide", `Model: ${p.name}  \nMade by ${p.brand}`];
  const parts = [
    ...head,
    "## Overview",
    intro(p, random),
    "## Key Features",
    sample(random, p.words.features, 5).map((f) => `* ${f}`).join("\n"),
    "## Technical Data",
    ["| | |", "|---|---|", ...p.specs.map(([k, v]) => `| ${k} | ${v} |`)].join("\n"),
    "## Care",
    care(p, random, 3).join(" "),
    "## Warranty and Service",
    warranty(p, random),
    "## Frequently Asked Questions",
    faq(p, random, 2 + Math.floor(random() * 2)).map(([q, a]) => `**${q}**\n${a}`).join("\n\n"),
  ];
  return {
    file: `guide-${slug(p.brand)}-${slug(p.name)}.md`,
    markdown: `${parts.join("\n\n")}\n`,
    layout: "product name",
  };
}

/** Write the manual of a generated product in one of the four layouts (chosen by `random`). */
export function writeManual(p: GeneratedProduct, random: () => number): GeneratedManual {
  const r = random();
  if (r < 0.55) return fileNameLayout(p, random);
  if (r < 0.7) return frontMatterLayout(p, random);
  if (r < 0.85) return declaredIdLayout(p, random);
  return productNameLayout(p, random);
}
