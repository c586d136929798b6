// The chat page: pick a customer, ask, watch the answer stream in as Markdown, see the
// products and manual passages it cites. Plain browser JavaScript served by the app (no build
// step); Markdown is rendered by marked and sanitised by DOMPurify, both served from /assets.
import { marked } from "/assets/marked.js";
import DOMPurify from "/assets/purify.js";

// The server refuses more (lib/chat/validate.ts); server/contract/chat_test.ts holds the two equal.
const MAX_HISTORY_TURNS = 50;
const KEY_STORAGE = "contoso-chat-api-key";

const $ = (id) => document.getElementById(id);
const ui = {
  customer: $("customer"),
  newChat: $("new-chat"),
  conversation: $("conversation"),
  status: $("status"),
  form: $("ask"),
  question: $("question"),
  send: $("send"),
  stop: $("stop"),
  live: $("answer-live"),
  keyPanel: $("api-key-panel"),
  keyInput: $("api-key"),
  saveKey: $("save-key"),
};

/** Conversation so far, sent as chat_history: [{role, content}]. */
let history = [];
let controller = null;

marked.setOptions({ gfm: true, breaks: true });
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

function setState(state) {
  document.body.dataset.state = state;
  const busy = state === "streaming";
  ui.send.disabled = busy || !ui.customer.value;
  ui.customer.disabled = busy;
  ui.newChat.disabled = busy;
  ui.stop.hidden = !busy;
}

function setStatus(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", isError);
}

function headers(extra = {}) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { ...extra, "x-api-key": key } : extra;
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body?.error?.message ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function needKey() {
  ui.keyPanel.hidden = false;
  ui.keyInput.focus();
}

async function loadCustomers() {
  setState("loading");
  const response = await fetch("/api/customers", {
    headers: headers({ Accept: "application/json" }),
  });
  if (response.status === 401) {
    needKey();
    throw new Error(await errorMessage(response));
  }
  if (!response.ok) throw new Error(await errorMessage(response));
  const { customers } = await response.json();
  ui.customer.replaceChildren(new Option("Choose a customer…", ""));
  for (const c of customers) {
    ui.customer.append(new Option(`${c.firstName} (${c.membership}) · #${c.id}`, c.id));
  }
  setStatus(`${customers.length} customers. Choose one, then ask a question.`);
  setState("idle");
}

function addMessage(role, className = "") {
  const item = document.createElement("li");
  item.className = `message ${role} ${className}`.trim();
  const label = document.createElement("span");
  label.className = "role";
  label.textContent = role === "user" ? "You" : "Assistant";
  item.append(label);
  ui.conversation.append(item);
  return item;
}

function renderMarkdown(target, text) {
  target.innerHTML = DOMPurify.sanitize(marked.parse(text));
}

// Source urls are this server's pages (/products/1, /manuals/…#section) or a storefront's
// absolute ones; only http(s) targets become links.
function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function sourceLink(href, text) {
  const link = document.createElement("a");
  link.href = href;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  link.textContent = text;
  return link;
}

/**
 * Turn the citations of an answer, `[1-manual-warranty]` or `[1]`, into links to the cited
 * source: only ids of this answer's context, only in text (never inside code or a link).
 */
function linkCitations(root, context) {
  const urls = new Map();
  for (const item of context) {
    const href = safeUrl(item.url);
    if (href) urls.set(item.id, { href, title: item.title });
  }
  if (!urls.size) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("a, code, pre") && node.nodeValue.includes("[")) {
      nodes.push(node);
    }
  }
  for (const node of nodes) {
    const parts = node.nodeValue.split(/\[([^\[\]\s]{1,120})\]/);
    if (parts.length === 1 || !parts.some((p, i) => i % 2 === 1 && urls.has(p))) continue;
    const fragment = document.createDocumentFragment();
    parts.forEach((part, i) => {
      const source = i % 2 === 1 ? urls.get(part) : undefined;
      if (source) {
        const link = sourceLink(source.href, `[${part}]`);
        link.className = "citation";
        link.title = source.title;
        fragment.append(link);
      } else if (part) {
        fragment.append(document.createTextNode(i % 2 === 1 ? `[${part}]` : part));
      }
    });
    node.replaceWith(fragment);
  }
}

/** A passage's text without the title line it starts with, cut to about `limit` characters. */
function excerptOf(item, limit = 280) {
  let text = item.content ?? "";
  if (text.startsWith(`${item.title}\n`)) text = text.slice(item.title.length + 1);
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), limit / 2))}…`;
}

function renderSources(container, context) {
  container.replaceChildren();
  if (!context.length) return;
  const groups = [
    ["Products", context.filter((c) => c.kind !== "manual")],
    ["Manual passages", context.filter((c) => c.kind === "manual")],
  ];
  for (const [title, items] of groups) {
    if (!items.length) continue;
    const heading = document.createElement("h2");
    heading.textContent = title;
    const list = document.createElement("ul");
    for (const item of items) {
      const li = document.createElement("li");
      li.dataset.kind = item.kind;
      li.dataset.id = item.id;
      const href = safeUrl(item.url);
      const name = href ? sourceLink(href, item.title) : document.createElement("strong");
      if (!href) name.textContent = item.title;
      const id = document.createElement("code");
      id.textContent = ` [${item.id}]`;
      const excerpt = document.createElement("div");
      excerpt.className = "excerpt";
      renderMarkdown(excerpt, excerptOf(item));
      li.append(name, id, excerpt);
      list.append(li);
    }
    container.append(heading, list);
  }
}

/** Parse a server-sent event stream into {event, data} objects. */
async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (!line || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        if (field === "data") data.push(value);
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

async function ask(question) {
  const customerId = ui.customer.value;
  const userItem = addMessage("user");
  userItem.append(document.createTextNode(question));
  const item = addMessage("assistant", "streaming");
  item.setAttribute("aria-busy", "true");
  const answerEl = document.createElement("div");
  answerEl.className = "answer";
  const sourcesEl = document.createElement("div");
  sourcesEl.className = "sources";
  item.append(answerEl, sourcesEl);
  item.scrollIntoView({ block: "end" });

  controller = new AbortController();
  setState("streaming");
  setStatus("Thinking…");
  let text = "";
  let context = [];
  let pending = false;
  const render = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      renderMarkdown(answerEl, text);
      linkCitations(answerEl, context);
    });
  };
  // Nothing answered yet (stopped or failed before the first word): take the turn back, so
  // no empty bubble stays and the question is in the box to send again.
  const takeBack = () => {
    userItem.remove();
    item.remove();
    if (!ui.question.value.trim()) ui.question.value = question;
  };

  try {
    const response = await fetch("/api/create_response", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify({
        question,
        customer_id: customerId,
        chat_history: history.slice(-MAX_HISTORY_TURNS),
      }),
      signal: controller.signal,
    });
    if (!response.ok) {
      if (response.status === 401) needKey();
      throw new Error(await errorMessage(response));
    }
    let finished = false;
    for await (const { event, data } of readEvents(response.body)) {
      if (event === "context") {
        context = data.context;
        renderSources(sourcesEl, data.context);
        setStatus("Writing the answer…");
      } else if (event === "delta") {
        text += data.text;
        render();
      } else if (event === "done") {
        text = data.answer;
        context = data.context;
        renderMarkdown(answerEl, text);
        linkCitations(answerEl, context);
        renderSources(sourcesEl, data.context);
        ui.live.textContent = answerEl.textContent;
        history.push({ role: "user", content: question }, { role: "assistant", content: text });
        history = history.slice(-MAX_HISTORY_TURNS);
        finished = true;
      } else if (event === "error") {
        throw new Error(data.error?.message ?? "The answer failed");
      }
    }
    if (!finished) throw new Error("The answer ended early; please try again");
    setStatus(`Done. ${history.length / 2} question(s) in this conversation.`);
  } catch (error) {
    const stopped = error.name === "AbortError";
    if (!text) {
      takeBack();
    } else {
      // Part of an answer is kept as it was, marked as cut short; it is not in the history.
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = stopped ? "Stopped before the end." : `Cut short: ${error.message}`;
      item.append(note);
      if (!stopped) {
        item.classList.add("error");
        if (!ui.question.value.trim()) ui.question.value = question;
      }
    }
    if (stopped) setStatus(text ? "Stopped." : "Stopped. The question is back in the box.");
    else setStatus(`${error.message}. Your question is still in the box: send it again.`, true);
  } finally {
    item.classList.remove("streaming");
    item.removeAttribute("aria-busy");
    controller = null;
    setState("idle");
    ui.question.focus();
  }
}

function newConversation() {
  history = [];
  ui.conversation.replaceChildren();
  const option = ui.customer.selectedOptions[0];
  setStatus(
    ui.customer.value ? `New conversation as ${option.textContent}.` : "Choose a customer.",
  );
  setState("idle");
}

ui.customer.addEventListener("change", newConversation);
ui.newChat.addEventListener("click", newConversation);
ui.stop.addEventListener("click", () => controller?.abort());
ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = ui.question.value.trim();
  if (!question || !ui.customer.value || controller) return;
  ui.question.value = "";
  void ask(question);
});
ui.question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.form.requestSubmit();
  }
});
ui.saveKey.addEventListener("click", () => {
  sessionStorage.setItem(KEY_STORAGE, ui.keyInput.value.trim());
  ui.keyInput.value = "";
  ui.keyPanel.hidden = true;
  loadCustomers().catch((error) => setStatus(error.message, true));
});

loadCustomers().catch((error) => {
  setStatus(`Cannot load customers: ${error.message}`, true);
  setState("idle");
});
