import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { messages } from "./messages.ts";
import { JUPYTER_DISPLAY } from "./_bundle.ts";

function dom(markup: string): Document {
  return parseHTML(`<!DOCTYPE html><html><body>${markup}</body></html>`)
    .document as unknown as Document;
}

// A rendered prompt written the way another team might: Markdown headings, a list, an address.
const prompt = [
  {
    role: "system",
    content: [
      "You help hikers of Northwind Trails choose gear.",
      "",
      "# Customer",
      "Name: Ana Souza",
      "Loyalty tier: Gold",
      "",
      "# Previous purchases",
      "- Ridgeline 2P tent (x1)",
      "- Granite trekking poles (x2)",
    ].join("\n"),
  },
  { role: "user", content: "Does the tent fit <two> people & a dog?\nThanks!" },
];

Deno.test("messages() renders one section per message inside the display root", async (t) => {
  await t.step("root and sections follow the data-display contract", () => {
    const doc = dom(messages(prompt).bundle["text/html"]);
    const roots = doc.querySelectorAll('[data-display="messages"]');
    assert.equal(roots.length, 1);
    assert.equal(roots[0].tagName.toLowerCase(), "div");
    const sections = [...roots[0].querySelectorAll("section[data-role]")];
    assert.deepEqual(sections.map((s) => s.getAttribute("data-role")), ["system", "user"]);
  });
  await t.step("prompt text keeps its line breaks and hashes, escaped", () => {
    const doc = dom(messages(prompt).bundle["text/html"]);
    const pre = doc.querySelector('section[data-role="system"] pre');
    assert.ok(pre, "system text is pre-formatted by default");
    assert.equal(pre.textContent, prompt[0].content);
    const user = doc.querySelector('section[data-role="user"] pre')!;
    assert.equal(user.textContent, prompt[1].content);
    assert.equal(doc.querySelectorAll("two").length, 0, "content never becomes markup");
    assert.match(pre.getAttribute("style") ?? "", /white-space:pre-wrap/);
  });
  await t.step("long content scrolls and everything is left-aligned", () => {
    const markup = messages(prompt, { maxHeight: "10em" }).bundle["text/html"];
    const doc = dom(markup);
    const pre = doc.querySelector("pre")!;
    assert.match(pre.getAttribute("style")!, /max-height:10em;overflow:auto/);
    assert.match(doc.querySelector("[data-display]")!.getAttribute("style")!, /text-align:left/);
  });
  await t.step("an unsafe maxHeight falls back to the default", () => {
    const markup = messages(prompt, { maxHeight: '1px" onload="x' }).bundle["text/html"];
    assert.ok(!markup.includes("onload"));
    assert.match(markup, /max-height:24em/);
  });
  await t.step("any role is accepted and labelled", () => {
    const doc = dom(messages([{ role: "tool", content: "{}" }]).bundle["text/html"]);
    const s = doc.querySelector("section")!;
    assert.equal(s.getAttribute("data-role"), "tool");
    assert.equal(s.firstElementChild!.textContent, "tool");
  });
});

Deno.test("messages() renders assistant replies as safe Markdown", async (t) => {
  const reply = {
    role: "assistant",
    content: [
      "Hi Ana,",
      "the **Ridgeline 2P** fits two adults; see [the manual](https://example.com/m/7).",
      "",
      "1. Pitch it on flat ground",
      "2. Use `all four` guy lines",
      "",
      '<img src=x onerror="alert(1)"> [click](javascript:alert(1)) ![pic](https://e.com/a.png)',
    ].join("\n"),
  };
  const doc = dom(messages([reply]).bundle["text/html"]);
  const section = doc.querySelector('section[data-role="assistant"]')!;
  await t.step("Markdown is rendered, single line breaks kept", () => {
    assert.equal(section.getAttribute("data-format"), "markdown");
    assert.equal(section.querySelector("strong")!.textContent, "Ridgeline 2P");
    assert.equal(section.querySelector("code")!.textContent, "all four");
    assert.equal(section.querySelectorAll("ol li").length, 2);
    assert.equal(section.querySelectorAll("p br").length, 1, "Hi Ana,<br>the …");
    const a = section.querySelector('a[href="https://example.com/m/7"]')!;
    assert.equal(a.getAttribute("rel"), "noopener noreferrer");
  });
  await t.step("raw HTML, script links and images never become active markup", () => {
    assert.equal(section.querySelectorAll("img").length, 0);
    assert.equal(section.querySelectorAll("[onerror]").length, 0);
    assert.ok(section.textContent!.includes('<img src=x onerror="alert(1)">'));
    const hrefs = [...section.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    assert.deepEqual(hrefs, ["https://example.com/m/7", "https://e.com/a.png"]);
    assert.ok(section.textContent!.includes("click"));
  });
  await t.step("format overrides the default for every role", () => {
    const pre = dom(messages([reply], { format: "pre" }).bundle["text/html"]);
    assert.equal(pre.querySelector("pre")!.textContent, reply.content);
    const md = dom(messages(prompt, { format: "markdown" }).bundle["text/html"]);
    assert.equal(md.querySelector('section[data-role="system"] h1')!.textContent, "Customer");
  });
});

Deno.test("messages() prints role headers and content as text/plain", () => {
  const view = messages(
    [{ role: "system", content: "Rules:\n- be brief" }, { role: "user", content: "Hi" }],
    { caption: "chat.prompty" },
  );
  const bundle = view[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.equal(
    bundle["text/plain"],
    "chat.prompty\n\nsystem:\nRules:\n- be brief\n\nuser:\nHi",
  );
  assert.equal(String(view), bundle["text/plain"]);
  assert.equal(String(messages([])), "(no messages)");
  assert.ok(bundle["text/html"].includes(">chat.prompty</div>"));
});

Deno.test("messages() links resolve only to web and mail addresses", () => {
  // Script URLs in the spellings that have slipped past sanitizers: entities, controls, case.
  const attempts = [
    "[a](javascript:alert(1))",
    "[b](JAVASCRIPT:alert(1))",
    "[c](  javascript:alert(1))",
    "[d](javascript&#58;alert(1))",
    "[e](&#106;avascript:alert(1))",
    "[f](java&#x09;script:alert(1))",
    "[g](java\tscript:alert(1))",
    "[h](data:text/html;base64,PHNjcmlwdD4=)",
    "[i](vbscript:msgbox)",
    "<javascript:alert(1)>",
    '[j](https://ok.example/a "t\\" onmouseover=\\"x")',
    "[k](/docs/tent.md) [l](#care) [m](mailto:help@contoso.example)",
  ];
  const doc = dom(
    messages([{ role: "assistant", content: attempts.join("\n\n") }]).bundle["text/html"],
  );
  const links = [...doc.querySelectorAll("a")];
  assert.ok(links.length >= 4);
  for (const a of links) {
    // Browsers decode the attribute once, then parse it as a URL against the page.
    const url = new URL(a.getAttribute("href")!, "https://notebook.example/lab/");
    assert.match(url.protocol, /^(https?|mailto):$/, a.getAttribute("href")!);
    assert.equal(a.getAttributeNames().filter((n) => n.startsWith("on")).length, 0);
  }
  assert.equal(doc.querySelectorAll("[onmouseover], script, iframe").length, 0);
});
