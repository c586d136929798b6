/**
 * The one set of rules a chat request must follow: the limits (question length, customer id,
 * turns of history), the shape of a turn, and the messages that say what is wrong. The pipeline
 * validates with {@link validateChatRequest}; the server's wire schemas
 * (`server/contract/chat.ts`), the configuration and the evaluation sets import the limits,
 * {@link checkChatHistory} and {@link PROBLEMS} from here, so a client, a learner at the command
 * line and an evaluation row are refused for the same reason in the same words.
 *
 * Messages are relative to the field (`is too long: ...`), so each caller names the field the
 * way its input spells it (`customer_id` on the wire, `customerId` in code).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import type { ChatRequest, ChatTurn } from "./types.ts";

/** Longest question accepted (characters, after trimming). */
export const MAX_QUESTION_LENGTH = 2000;
/** Most earlier turns a request may carry. */
export const MAX_HISTORY_TURNS = 50;
/** Longest customer id accepted (characters). */
export const MAX_CUSTOMER_ID_LENGTH = 128;

/** What can be wrong with a field, relative to its name (`question is required`). */
export const PROBLEMS = {
  required: "is required",
  notString: "must be a string",
  empty: "must not be empty",
  tooLong: (length: number, limit: number): string =>
    `is too long: ${length} characters, the limit is ${limit}`,
  invalidId: "is not a valid id",
  historyNotArray: "must be an array of {role, content} turns",
  historyNotJson: "must be a JSON array of {role, content} turns",
  tooManyTurns: (turns: number, limit: number): string =>
    `has ${turns} turns, the limit is ${limit}`,
  turnNotObject: "must be an object with role and content",
  role: 'must be "user" or "assistant"',
  content: "must be a string",
} as const;

/** A validation outcome: the clean value, or every problem found. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Whether a (trimmed, non-empty) customer id is acceptable: at most
 * {@link MAX_CUSTOMER_ID_LENGTH} characters and no control characters.
 */
export function isValidCustomerId(id: string): boolean {
  return id.length <= MAX_CUSTOMER_ID_LENGTH && ![...id].some((ch) => ch.charCodeAt(0) < 0x20);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Read a chat history given as a JSON string (the original workshop's query parameter and
 * evaluation rows): a blank string is no history; text that is not JSON is a problem. Anything
 * that is not a string is returned as it is, for {@link checkChatHistory}.
 *
 * @example
 * ```ts
 * import { chatHistoryFromJson } from "./validate.ts";
 * const read = chatHistoryFromJson('[{"role":"user","content":"Hi"}]');
 * console.assert(read.ok && Array.isArray(read.value));
 * ```
 */
export function chatHistoryFromJson(value: unknown): Checked<unknown> {
  if (typeof value !== "string") return { ok: true, value };
  if (value.trim() === "") return { ok: true, value: [] };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false, errors: [`chat_history ${PROBLEMS.historyNotJson}`] };
  }
}

/**
 * A chat history: an array of `{role: "user" | "assistant", content: string}` (missing is no
 * history). Extra fields are dropped; every bad turn is reported by its index. The number of
 * turns is not limited here (evaluation rows may be longer); requests are, by
 * {@link validateChatRequest}.
 *
 * @example
 * ```ts
 * import { checkChatHistory } from "./validate.ts";
 * console.assert(checkChatHistory([{ role: "user", content: "Hi" }]).ok);
 * console.assert(!checkChatHistory([{ role: "system", content: "x" }]).ok);
 * ```
 */
export function checkChatHistory(value: unknown): Checked<ChatTurn[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) {
    return { ok: false, errors: [`chat_history ${PROBLEMS.historyNotArray}`] };
  }
  const errors: string[] = [];
  value.forEach((turn, i) => {
    if (!isObject(turn)) errors.push(`chat_history[${i}] ${PROBLEMS.turnNotObject}`);
    else {
      if (turn.role !== "user" && turn.role !== "assistant") {
        errors.push(`chat_history[${i}].role ${PROBLEMS.role}`);
      }
      if (typeof turn.content !== "string") {
        errors.push(`chat_history[${i}].content ${PROBLEMS.content}`);
      }
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: value.map((t) => ({ role: t.role, content: t.content })) };
}

/** A chat request that follows every rule: trimmed, the id as text, the history as turns. */
export interface ValidChatRequest {
  customerId: string;
  question: string;
  chatHistory: ChatTurn[];
}

/** The question, trimmed, or the problem with it. */
function checkQuestion(value: unknown): string {
  if (value === undefined) throw new ValidationError(`question ${PROBLEMS.required}`);
  if (typeof value !== "string") throw new ValidationError(`question ${PROBLEMS.notString}`);
  const question = value.trim();
  if (!question) throw new ValidationError(`question ${PROBLEMS.empty}`);
  if (question.length > MAX_QUESTION_LENGTH) {
    throw new ValidationError(
      `question ${PROBLEMS.tooLong(question.length, MAX_QUESTION_LENGTH)}`,
    );
  }
  return question;
}

/** The customer id as trimmed text (a whole number is read as its text), or the problem. */
function checkCustomerId(value: unknown): string {
  if (value === undefined) throw new ValidationError(`customerId ${PROBLEMS.required}`);
  const id = typeof value === "number" && Number.isInteger(value)
    ? String(value)
    : typeof value === "string"
    ? value.trim()
    : undefined;
  if (id === undefined) throw new ValidationError(`customerId ${PROBLEMS.notString}`);
  if (!id) throw new ValidationError(`customerId ${PROBLEMS.empty}`);
  if (!isValidCustomerId(id)) throw new ValidationError(`customerId ${PROBLEMS.invalidId}`);
  return id;
}

/**
 * Validate and normalise a chat request; the first problem is a {@link ValidationError}
 * naming the field (`question is too long: 2400 characters, the limit is 2000`).
 *
 * @example
 * ```ts
 * import { validateChatRequest } from "./validate.ts";
 * const valid = validateChatRequest({ customerId: " 4 ", question: "Which tent?" });
 * console.assert(valid.customerId === "4" && valid.chatHistory.length === 0);
 * ```
 */
export function validateChatRequest(request: ChatRequest): ValidChatRequest {
  if (!isObject(request)) throw new ValidationError("The request must be an object");
  const question = checkQuestion(request.question);
  const customerId = checkCustomerId(request.customerId);
  const history = checkChatHistory(request.chatHistory);
  if (!history.ok) throw new ValidationError(history.errors[0], { problems: history.errors });
  if (history.value.length > MAX_HISTORY_TURNS) {
    throw new ValidationError(
      `chat_history ${PROBLEMS.tooManyTurns(history.value.length, MAX_HISTORY_TURNS)}`,
    );
  }
  return { customerId, question, chatHistory: history.value };
}
