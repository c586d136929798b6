/**
 * Reading a rendered chat prompt the way the offline model needs it: the documentation items
 * (`id:` / `title:` / `content:` lines), the customer's first name, past orders, whether
 * safety rules are present, and the question with its earlier turns.
 *
 * @module
 */
import type { ChatMessage } from "../types.ts";

/** A documentation item found in the prompt. */
export interface PromptDoc {
  id: string;
  title: string;
  content: string;
}

/** What the offline model understood of a prompt. */
export interface PromptReading {
  question: string;
  history: string[];
  docs: PromptDoc[];
  firstName?: string;
  orders: string[];
  hasSafetyRules: boolean;
  wantsQueries: boolean;
  wantsJson: boolean;
  system: string;
}

/** Parse the messages of a chat completion request. */
export function readPrompt(messages: ChatMessage[], json = false): PromptReading {
  const lastUser = messages.findLastIndex((m) => m.role === "user");
  const question = lastUser >= 0 ? messages[lastUser].content : "";
  const history = messages.slice(0, Math.max(lastUser, 0)).filter((m) => m.role === "user").map((
    m,
  ) => m.content);
  const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
  const docs: PromptDoc[] = [];
  let current: PromptDoc | undefined;
  const orders: string[] = [];
  let inOrders = false;
  for (const raw of system.split("\n")) {
    const line = raw.trim();
    const field = /^(?:-\s*)?(id|title|content)\s*:\s*(.*)$/i.exec(line);
    if (field) {
      const [, key, value] = field;
      if (key.toLowerCase() === "id") {
        current = { id: value.trim(), title: "", content: "" };
        docs.push(current);
      } else if (current) {
        current[key.toLowerCase() as "title" | "content"] = value.trim();
      }
      continue;
    }
    if (/^#+\s/.test(line)) inOrders = /order/i.test(line);
    else if (inOrders && line.startsWith("-")) orders.push(line.replace(/^-\s*/, ""));
  }
  const firstName = /first\s*name\s*:\s*([\p{L}'-]+)/iu.exec(system)?.[1];
  const allText = messages.map((m) => m.content).join("\n");
  return {
    question,
    history,
    docs,
    firstName,
    orders,
    hasSafetyRules: /safety|must not|never reveal|decline/i.test(system),
    wantsQueries: /search quer/i.test(allText),
    wantsJson: json || /\bjson\b/i.test(system),
    system,
  };
}
