import { deepEqual, equal } from "node:assert/strict";
import { ownedItemQueries, ownedReferences } from "./owned_items.ts";

const orders = [
  { name: "Summit Dome 2 Tent", category: "Tents" },
  { name: "Polar Vault 0 Expedition Sleeping Bag", category: "Sleeping Bags" },
  { name: "BluFlame Mini Canister Stove", category: "Camping Stoves" },
];

Deno.test("ownedReferences() finds possessives and 'the X I bought'", async (t) => {
  await t.step("my + up to four words", () => {
    deepEqual(ownedReferences("How warm is my sleeping bag?"), [["sleep", "bag"]]);
    deepEqual(ownedReferences("Our new tent's door is stuck"), [["new", "tent", "door"]]);
  });
  await t.step("the X we ordered", () => {
    deepEqual(ownedReferences("Does the stove we ordered take butane?"), [["stove"]]);
  });
  await t.step("no reference", () => {
    deepEqual(ownedReferences("Which tent is lightest?"), []);
  });
});

Deno.test("ownedItemQueries() names the owned item the question refers to", async (t) => {
  await t.step("by a word of the product name", () => {
    deepEqual(ownedItemQueries("What is the temperature rating of my sleeping bag?", orders), [
      "Polar Vault 0 Expedition Sleeping Bag temperature rating",
    ]);
  });
  await t.step("by the category ('my stove' for a Camping Stoves order)", () => {
    deepEqual(ownedItemQueries("How do I clean the stove I bought?", orders), [
      "BluFlame Mini Canister Stove clean",
    ]);
  });
  await t.step("nothing owned matches: no query", () => {
    deepEqual(ownedItemQueries("Is my jacket waterproof?", orders), []);
  });
  await t.step("no possessive: no query, even when an order matches", () => {
    deepEqual(ownedItemQueries("Which sleeping bag is warmest?", orders), []);
  });
  await t.step("at most two items, best match first", () => {
    const bags = [
      { name: "Trail Bag Liner", category: "Accessories" },
      { name: "Dreamhollow 35 Sleeping Bag", category: "Sleeping Bags" },
      { name: "Starglow 20 Sleeping Bag", category: "Sleeping Bags" },
    ];
    const queries = ownedItemQueries("Can I wash my sleeping bag?", bags);
    equal(queries.length, 2);
    equal(queries[0].startsWith("Dreamhollow 35 Sleeping Bag"), true);
  });
  await t.step("a customer without orders", () => {
    deepEqual(ownedItemQueries("How warm is my sleeping bag?", []), []);
  });
});
