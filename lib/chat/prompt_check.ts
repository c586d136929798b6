/**
 * Checking the pipeline's prompts once, when the pipeline is built: each is rendered with
 * inputs shaped exactly like the ones a request passes (a customer with every field, a
 * documentation item, a question, earlier turns). A template that cannot render with them
 * would fail every request, so it fails at start-up instead, naming the file.
 *
 * @module
 */
import { renderPrompty } from "../prompty/mod.ts";
import type { Prompty } from "../prompty/types.ts";
import type { ChatTurn } from "./types.ts";

const HISTORY: ChatTurn[] = [
  { role: "user", content: "An earlier question" },
  { role: "assistant", content: "An earlier answer" },
];

/** Inputs shaped like the chat prompt's on a request (what `promptCustomer` and co. return). */
const CHAT_INPUTS = {
  customer: {
    id: "0",
    firstName: "First",
    lastName: "Last",
    age: 30,
    membership: "Base",
    orders: [{
      id: 1,
      productId: "1",
      quantity: 1,
      total: 1,
      date: "2026-01-01",
      name: "A product",
      unitprice: 1,
      category: "A category",
      brand: "A brand",
      description: "A description",
    }],
  },
  documentation: [{ id: "1", title: "A product", content: "Some content" }],
  question: "A question",
  chat_history: HISTORY,
};

const QUERY_INPUTS = { question: "A question", chat_history: HISTORY };

function check(prompty: Prompty, inputs: Record<string, unknown>, role: string): void {
  let messages;
  try {
    messages = renderPrompty(prompty, inputs);
  } catch (error) {
    const message = (error as Error).message;
    // The renderer's own messages already name the file (and the line where it knows it).
    if (message.startsWith("Cannot ")) throw error;
    throw new SyntaxError(`Cannot render prompt "${prompty.path}": ${message}`, { cause: error });
  }
  if (messages.length === 0) {
    throw new SyntaxError(
      `Cannot render prompt "${prompty.path}": the ${role} prompt renders no message`,
    );
  }
}

/**
 * Render the chat and query prompts once with request-shaped inputs; throws the render error
 * (a `SyntaxError` or `TypeError` naming the file) when either cannot serve a request.
 *
 * @example
 * ```ts ignore
 * checkPipelinePrompts({ chatPrompt, queryPrompt }); // throws for a prompt that cannot render
 * ```
 */
export function checkPipelinePrompts(
  prompts: { chatPrompt: Prompty; queryPrompt: Prompty },
): void {
  check(prompts.chatPrompt, CHAT_INPUTS, "chat");
  check(prompts.queryPrompt, QUERY_INPUTS, "query");
}
