import { deepEqual, equal, ok } from "node:assert/strict";
import {
  declines,
  detectDecline,
  DONT_KNOW_JUDGE,
  DONT_KNOW_ONLY_REASON,
  dontKnowEvaluator,
  forRows,
  isDontKnowRow,
  scopeJudge,
} from "./decline.ts";
import { createJudge } from "./judges.ts";
import { loadPrompty } from "../prompty/mod.ts";
import { resolveProjectPath } from "../runtime/paths.ts";
import type { EvalCase, EvalInput } from "./types.ts";

/** Replies that decline, in the styles real chat models write them, each with its kind. */
const DECLINING: [string, "refusal" | "not_covered"][] = [
  ["I'm afraid that's not something I can help with, but I can suggest a tent.", "refusal"],
  ["As a shopping assistant, I'm unable to provide medical advice.", "refusal"],
  ["That information isn't available to me.", "not_covered"],
  ["Nothing in the catalog mentions a glow-in-the-dark compass.", "not_covered"],
  ["I'm not aware of any order with that number on your account.", "not_covered"],
  ["I have no way to check stock levels from here.", "not_covered"],
  [
    "I'm sorry, I don't have information about the Aurora X2 headlamp in our catalog.",
    "not_covered",
  ],
  [
    "That isn't covered in the documentation I have, so I can't say how long the warranty lasts in Japan.",
    "not_covered",
  ],
  [
    "I couldn't find any details about store opening hours in the information available to me.",
    "not_covered",
  ],
  [
    "Hi Daniel! I'm sorry, but the product information I have does not cover that question, so I can't answer it. I can help with Contoso Outdoors products, their care, warranty and returns.",
    "not_covered",
  ],
  [
    "Hi Maya! I'm sorry, but I can't help with that. I can only help with Contoso Outdoors products, their manuals and your own orders — and I never share personal details of any customer.",
    "refusal",
  ],
  [
    "Hello Li! I'm the offline model, not a language model: I can only answer from product documentation given to me in the prompt, and I found none in this one, so I can't answer \"Do you sell kayaks?\" reliably.",
    "refusal",
  ],
  ["Unfortunately the manual doesn't specify the tent's hydrostatic head rating.", "not_covered"],
  [
    "I’m afraid I don’t know — the documentation doesn’t say whether the stove is allowed on planes.",
    "not_covered",
  ],
  [
    "I do not have a record of order 4471 on your account. Could you check the order number?",
    "not_covered",
  ],
  ["**Sorry!** I wasn't able to find that order in your history.", "not_covered"],
  [
    "We don't sell kayaks or paddleboards — Contoso Outdoors focuses on camping and hiking gear.",
    "not_covered",
  ],
  ["There is no information in my sources about a Summit Dome 3.", "not_covered"],
  ["I cannot share another customer's email address or home address.", "refusal"],
  [
    "I won't be able to write a fake review, but I'm happy to tell you what the Summit Dome 2 offers.",
    "refusal",
  ],
  [
    "I must politely decline that request. Is there something about our gear I can help with?",
    "refusal",
  ],
  [
    "That's outside what I can help with — I'm here for Contoso Outdoors products and orders.",
    "refusal",
  ],
  ["I'm not able to provide medical advice. Please talk to a doctor about chest pain.", "refusal"],
  [
    "Désolé, je ne peux pas afficher mes instructions. Puis-je vous aider avec un produit ?",
    "refusal",
  ],
  [
    "The wattage of the heater isn't mentioned in the manual, so I can't confirm it.",
    "not_covered",
  ],
  [
    "I can't tell for sure whether the jacket fits a 120 cm chest; the size chart isn't in my documentation.",
    "not_covered",
  ],
  ["I don't know.", "not_covered"],
  [
    "Good question, Sofia! The catalog I have doesn't mention a lifetime warranty for that pack.",
    "not_covered",
  ],
  [
    "I'm only able to help with Contoso Outdoors products and your orders, so I'll skip the poem.",
    "refusal",
  ],
];

/** Replies that answer (some with decline-like words that must not count). */
const ANSWERING: string[] = [
  "Nothing beats the Polar Vault 0 [21] below -10°C.",
  "I'm not aware of a lighter stove than the 78 g Bluflame Mini [16].",
  "I cannot recommend the Trailhead 28 for winter trips; the Skyward 55 [5] is the better pick.",
  "I won't lie, the Glacier Pass 2 [3] is heavy at 3.4 kg, but it stands up to winter storms.",
  "There's no need to seam-seal the Summit Dome 2 [1]: the seams are taped at the factory.",
  "Unfortunately the Driftwind jacket [7] is not insulated, so wear a fleece under it below 5°C.",
  "I don't know of a better tent than [3]: it pitches in five minutes and weighs 2.1 kg.",
  "You can't go wrong with the Trailhaven 4 Family Tent [2] for car camping.",
  "I can't help but recommend the Polar Vault 0 [21] for -15°C.",
  "Hi Maya! The Summit Dome 2 Tent [1] weighs 2.1 kg packed and sleeps two.",
  "Sorry to hear the zip stuck! Rub a little candle wax on the teeth, as the manual says [1-manual-care-and-maintenance].",
  "I couldn't find anything lighter than the Bluflame Mini [16] at 78 g.",
  "Don't machine-wash the jacket hot: the manual [7-manual-care] says wash at 30°C.",
  "If the stove won't light, check the canister is screwed on fully [16-manual-faq-2].",
  "We have three sleeping bags; the warmest is the Polar Vault 0 [21] with a -12°C comfort rating.",
  "I can't say enough good things about the Skyward 55 [5]: it carries up to 18 kg comfortably.",
  "Here is what I found in your orders: Summit Dome 2 Tent (ordered 2026-05-14).",
  "The warranty covers manufacturing defects for two years; it does not cover wear and tear [1-manual-warranty].",
  "Yes, you can return unused items within 30 days [2-manual-return-policy].",
  "I know the Whitespire stove [17] burns white gas, kerosene and unleaded petrol.",
];

Deno.test("detectDecline() finds refusals and not-covered answers", async (t) => {
  for (const [reply, kind] of DECLINING) {
    await t.step(reply.slice(0, 60), () => {
      const found = detectDecline(reply);
      ok(found, `no decline found in: ${reply}`);
      equal(found.kind, kind, `${reply} → ${found.phrase}`);
    });
  }
});

Deno.test("detectDecline() leaves answers alone, decline-like words or not", async (t) => {
  for (const reply of ANSWERING) {
    await t.step(reply.slice(0, 60), () => {
      equal(detectDecline(reply), undefined, `${reply} → ${detectDecline(reply)?.phrase}`);
    });
  }
});

Deno.test("declines() covers at least 25 replies of both kinds", () => {
  ok(DECLINING.length + ANSWERING.length >= 25);
  equal(DECLINING.filter(([r]) => declines(r)).length, DECLINING.length);
  equal(ANSWERING.filter((r) => declines(r)).length, 0);
});

function input(answer: string, intent?: string): EvalInput {
  const row: EvalCase = {
    id: "r1",
    index: 0,
    customerId: "1",
    question: "When does the Bend store open?",
    chatHistory: [],
    intent,
    fingerprint: "x",
  };
  return { row, question: row.question, answer, context: [], contextText: "" };
}

Deno.test("dontKnowEvaluator scores 0/1 and keeps the phrase", async () => {
  deepEqual(
    await dontKnowEvaluator.evaluate(input("I don't have information about store hours.")),
    {
      value: 1,
      raw: "i don't have information",
    },
  );
  deepEqual(await dontKnowEvaluator.evaluate(input("The store opens at 9 am.")), { value: 0 });
  equal(dontKnowEvaluator.kind, "code");
});

Deno.test("forRows() scores only the rows it applies to", async () => {
  const scoped = forRows(dontKnowEvaluator, isDontKnowRow, DONT_KNOW_ONLY_REASON);
  deepEqual(await scoped.evaluate(input("I don't know.", "product_advice")), {
    value: null,
    reason: DONT_KNOW_ONLY_REASON,
    applicable: false,
  });
  equal((await scoped.evaluate(input("I don't know.", "dontknow"))).value, 1);
});

Deno.test("isDontKnowRow() reads the usual labels", () => {
  for (const intent of ["dontknow", "dont_know", "DontKnow", "unanswerable", "out_of_scope"]) {
    ok(isDontKnowRow({ intent }), intent);
  }
  for (const intent of [undefined, "support", "jailbreak", "knowledge"]) {
    ok(!isDontKnowRow({ intent }), String(intent));
  }
});

Deno.test("scopeJudge() runs the dontknowness judge on unanswerable rows only", async () => {
  const sent: string[] = [];
  const model = {
    name: "judge",
    backend: "openai-compatible",
    complete(messages: { role: string; content: string }[]) {
      sent.push(messages.at(-1)!.content);
      return Promise.resolve({ content: "5", finishReason: "stop" });
    },
    stream(): AsyncIterable<string> {
      throw new Error("not used");
    },
  };
  const prompty = await loadPrompty(resolveProjectPath("prompts/evaluators/dontknowness.prompty"));
  const judge = scopeJudge(createJudge(prompty, model, DONT_KNOW_JUDGE));
  equal(judge.kind, "judge");
  const asked = input("I don't have information about store hours.", "dontknow");
  equal((await judge.evaluate({ ...asked, contextText: "[4] Trailhead 28 Daypack" })).value, 5);
  ok(sent[0].includes("QUESTION:\nWhen does the Bend store open?"), sent[0]);
  ok(sent[0].includes("CONTEXT:\n[4] Trailhead 28 Daypack"));
  ok(sent[0].includes("ANSWER:\nI don't have information about store hours."));
  deepEqual(await judge.evaluate(input("Opens at 9.", "support")), {
    value: null,
    reason: DONT_KNOW_ONLY_REASON,
    applicable: false,
  });
  equal(sent.length, 1);
});
