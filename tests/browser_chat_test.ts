/**
 * The chat page and the API docs in real Chromium (Debian's `chromium` driven by
 * `playwright-core`; never a downloaded browser), against a real listening server on the real
 * runtime with the embedded defaults. Every request that is not to the local server is
 * blocked and recorded: the pages must work offline. Saves `test-artifacts/chat.png`.
 *
 * Without Chromium the test is ignored locally (install it with `apt-get install -y
 * chromium`) and fails in CI (`CI=true`), where it must run.
 *
 * @module
 */
import assert from "node:assert/strict";
import axeSource from "axe-core/axe.min.js" with { type: "text" };
import type { Browser, Page } from "playwright-core";
import { createRuntime, loadConfig, UpstreamError } from "../lib/mod.ts";
import { createApp, runtimeDeps } from "../server/app.ts";
import { createMemoryLogger } from "../server/logger.ts";
import { startServer } from "../server/serve.ts";
import { createTestApp } from "../server/testing.ts";
import { ignoreWithoutChromium, launchChromium } from "./_chromium.ts";

const ARTIFACTS = new URL("../test-artifacts/", import.meta.url);

/** axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practices). */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's CSP forbids inline scripts.
  await page.evaluate(axeSource);
  return await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const axe = (globalThis as any).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
      },
    });
    return result.violations.map((v: { id: string; help: string; nodes: { target: string[] }[] }) =>
      `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`
    );
  });
}

/** Start recording the distinct lengths the streaming answer shows, until it is done. */
async function recordStreaming(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    // deno-lint-ignore no-explicit-any
    (globalThis as any).__answerLengths = seen;
    new MutationObserver(() => {
      const answer = document.querySelector(".message.assistant.streaming .answer");
      const length = answer?.textContent?.length ?? 0;
      if (length > 0 && length !== seen.at(-1)) seen.push(length);
    }).observe(document.getElementById("conversation")!, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

/** Open a page that blocks (and records) every request not addressed to the local server. */
async function offlinePage(browser: Browser, blocked: string[], problems: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    blocked.push(url.href);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const url = new URL(request.url());
    // Chromium now and then reports a streamed answer as ERR_ABORTED to the devtools protocol
    // while the page reads it to its `done` event (seen with word-by-word streaming, also with
    // the old page script); whether an answer arrived whole is checked on the page instead.
    const streamed = url.pathname === "/api/create_response" &&
      request.failure()?.errorText === "net::ERR_ABORTED" &&
      request.headers()["accept"] === "text/event-stream";
    if (url.hostname === "127.0.0.1" && !streamed) {
      problems.push(`failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
  return page;
}

Deno.test({
  name: "chat page and API docs in Chromium, offline",
  ignore: ignoreWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    // The offline model streams word by word, 8 ms apart, as `deno task start` does (slower).
    const runtime = await createRuntime(loadConfig({ OFFLINE_STREAM_DELAY_MS: "8" }));
    const app = createApp(runtimeDeps(runtime, {
      logger: createMemoryLogger(),
      version: "browser-test",
    }));
    const server = startServer(app, { port: 0, hostname: "127.0.0.1" });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const browser = await launchChromium();
    const blocked: string[] = [];
    const problems: string[] = [];
    try {
      await t.step(
        "/chat: choose a customer, ask, see the streamed answer and its sources",
        async () => {
          const page = await offlinePage(browser, blocked, problems);
          const chatBodies: Record<string, unknown>[] = [];
          page.on("request", (request) => {
            if (request.url().endsWith("/api/create_response")) {
              chatBodies.push(JSON.parse(request.postData() ?? "{}"));
            }
          });
          await page.goto(`${base}/chat`);
          await page.waitForSelector('#customer option[value="1"]', { state: "attached" });
          const label = await page.locator('#customer option[value="1"]').textContent();
          const firstName = label!.split(" ")[0];
          await page.selectOption("#customer", "1");

          await page.fill("#question", "What tent would you recommend for a rainy weekend?");
          await recordStreaming(page);
          await page.click("#send");
          // Part of the answer is on screen while the stream is still open ...
          await page.waitForFunction(() => {
            const answer = document.querySelector(".message.assistant.streaming .answer");
            return answer !== null && (answer.textContent ?? "").length > 0;
          });
          assert.equal(await page.getAttribute("body", "data-state"), "streaming");
          // ... and the whole answer once it is done.
          await page.waitForSelector('body[data-state="idle"] .message.assistant:not(.streaming)');
          const lengths = await page.evaluate(() =>
            // deno-lint-ignore no-explicit-any
            (globalThis as any).__answerLengths as number[]
          );
          assert.ok(lengths.length >= 5, `the answer grew in several steps: ${lengths}`);
          assert.equal(await page.inputValue("#question"), "", "a sent question leaves the box");
          const answer = page.locator(".message.assistant .answer").first();
          const answerText = (await answer.textContent()) ?? "";
          assert.ok(
            answerText.includes(firstName),
            `the answer greets ${firstName}: ${answerText}`,
          );
          assert.ok(await answer.locator("strong").count() > 0, "Markdown is rendered");
          const products = page.locator('.message.assistant .sources li[data-kind="product"]');
          assert.ok(await products.count() > 0, "a cited product is listed");
          const productTitle =
            (await products.first().locator("a, strong").first().textContent()) ??
              "";
          assert.ok(productTitle.length > 0);
          // The answer is announced once, complete, in the live region.
          assert.equal(
            ((await page.textContent("#answer-live")) ?? "").trim(),
            answerText.trim(),
          );
          // Excerpts are rendered Markdown, never raw markers.
          const excerpts = await page.locator(".sources .excerpt").allTextContents();
          assert.ok(
            excerpts.length > 0 && excerpts.every((e) => !/\*\*|^#+ /m.test(e)),
            excerpts.join("\n"),
          );

          // A citation in the answer links to its source: the manual, at the cited section.
          const citation = answer.locator("a.citation").first();
          assert.ok(await citation.count() > 0, `a citation is linked: ${answerText}`);
          const cited = ((await citation.textContent()) ?? "").replace(/^\[|\]$/g, "");
          const [popup] = await Promise.all([page.waitForEvent("popup"), citation.click()]);
          await popup.waitForLoadState();
          const opened = new URL(popup.url());
          assert.match(opened.pathname, /^\/(manuals|products)\//, popup.url());
          if (opened.pathname.startsWith("/manuals/")) {
            assert.ok(opened.hash.length > 1, `a manual link names its section: ${popup.url()}`);
            const anchor = decodeURIComponent(opened.hash.slice(1));
            assert.equal(
              await popup.locator(`[id="${anchor}"]`).count(),
              1,
              `#${anchor} on the page`,
            );
            assert.equal(await popup.locator(`[id="${cited}"]`).count(), 1, `passage ${cited}`);
            assert.deepEqual(await axeViolations(popup), [], "the manual page is accessible");
          }
          await popup.close();
          // Every listed source resolves to a page of this server.
          for (
            const href of await page.locator(".sources a").evaluateAll((links) =>
              links.map((l) => (l as HTMLAnchorElement).href)
            )
          ) {
            const res = await page.request.get(href);
            assert.equal(res.status(), 200, href);
          }
          assert.deepEqual(
            await axeViolations(page),
            [],
            "the chat page with an answer is accessible",
          );

          await page.fill("#question", "Does it come with a footprint?");
          await page.keyboard.press("Enter");
          await page.waitForFunction(() =>
            document.querySelectorAll(".message.assistant:not(.streaming)").length === 2 &&
            document.body.dataset.state === "idle"
          );
          assert.equal(await page.locator("#conversation .message").count(), 4);
          assert.equal(chatBodies.length, 2);
          assert.deepEqual(
            (chatBodies[1].chat_history as { role: string }[]).map((turn) => turn.role),
            ["user", "assistant"],
            "the conversation so far is sent with the follow-up",
          );
          assert.equal(await page.locator(".message.error").count(), 0);

          await Deno.mkdir(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: new URL("chat.png", ARTIFACTS).pathname, fullPage: true });
          await page.context().close();
        },
      );

      await t.step("/chat: the box stays in view, focus is visible, /chat/ redirects", async () => {
        const page = await offlinePage(browser, blocked, problems);
        await page.goto(`${base}/chat/`);
        assert.equal(new URL(page.url()).pathname, "/chat");
        await page.waitForSelector('#customer option[value="1"]', { state: "attached" });
        await page.selectOption("#customer", "1");
        const questions = ["Which stove is lightest?", "And which tent?", "Any boots?"];
        for (const [i, question] of questions.entries()) {
          await page.fill("#question", question);
          await page.keyboard.press("Enter");
          await page.waitForFunction(
            (n) =>
              document.querySelectorAll(".message.assistant:not(.streaming)").length === n &&
              document.body.dataset.state === "idle",
            i + 1,
          );
        }
        const viewport = page.viewportSize()!;
        assert.ok(
          await page.evaluate(() => document.documentElement.scrollHeight > innerHeight),
          "the conversation is taller than the window",
        );
        const box = (await page.locator("#question").boundingBox())!;
        assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `box in view: ${box.y}`);
        await page.focus("#question");
        await page.keyboard.press("Tab");
        const outline = await page.evaluate(() => {
          const style = getComputedStyle(document.activeElement!);
          return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
        });
        assert.ok(outline.style !== "none" && outline.width >= 2, JSON.stringify(outline));
        await page.context().close();
      });

      await t.step("/chat on a phone: the placeholder fits, no violations", async () => {
        const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
        const page = await context.newPage();
        await page.goto(`${base}/chat`);
        await page.waitForSelector('#customer option[value="1"]', { state: "attached" });
        const fit = await page.evaluate(() => {
          const area = document.getElementById("question") as HTMLTextAreaElement;
          const style = getComputedStyle(area);
          const canvas = document.createElement("canvas").getContext("2d")!;
          canvas.font = `${style.fontSize} ${style.fontFamily}`;
          const room = area.clientWidth - parseFloat(style.paddingLeft) -
            parseFloat(style.paddingRight);
          return { text: canvas.measureText(area.placeholder).width, room };
        });
        assert.ok(fit.text <= fit.room, `placeholder ${fit.text}px in ${fit.room}px`);
        assert.ok(
          await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
          "no sideways scrolling",
        );
        assert.deepEqual(await axeViolations(page), [], "the empty chat page is accessible");
        await context.close();
      });

      await t.step("/chat: Stop and errors keep the question, leave no empty bubble", async () => {
        const cases = [
          { name: "stopped before a word", options: { hang: true }, stop: true },
          {
            name: "failed",
            options: {
              failWith: () =>
                new UpstreamError("Injected", {
                  service: "chat-model",
                  status: 503,
                  isRetryable: true,
                }),
            },
            stop: false,
          },
        ];
        for (const c of cases) {
          const { app: fake } = createTestApp({ pipelineOptions: c.options });
          const fakeServer = startServer(fake, { port: 0, hostname: "127.0.0.1" });
          const page = await offlinePage(browser, blocked, []);
          try {
            await page.goto(`http://127.0.0.1:${fakeServer.addr.port}/chat`);
            await page.waitForSelector('#customer option[value="1"]', { state: "attached" });
            await page.selectOption("#customer", "1");
            await page.fill("#question", "Will my tent survive a storm?");
            await page.click("#send");
            if (c.stop) {
              await page.waitForSelector('body[data-state="streaming"]');
              await page.click("#stop");
            }
            await page.waitForFunction(() => document.body.dataset.state === "idle");
            assert.equal(await page.locator("#conversation .message").count(), 0, c.name);
            assert.equal(
              await page.inputValue("#question"),
              "Will my tent survive a storm?",
              c.name,
            );
            const status = (await page.textContent("#status")) ?? "";
            assert.match(status, c.stop ? /Stopped/ : /still in the box/, c.name);
          } finally {
            await page.context().close();
            await fakeServer.shutdown();
          }
        }
        // Stopped mid-answer: the words so far stay, marked as cut short.
        const { app: slow } = createTestApp({ pipelineOptions: { delayMs: 150 } });
        const slowServer = startServer(slow, { port: 0, hostname: "127.0.0.1" });
        const page = await offlinePage(browser, blocked, []);
        try {
          await page.goto(`http://127.0.0.1:${slowServer.addr.port}/chat`);
          await page.waitForSelector('#customer option[value="1"]', { state: "attached" });
          await page.selectOption("#customer", "1");
          await page.fill("#question", "Tell me about the tent");
          await page.click("#send");
          await page.waitForFunction(() =>
            (document.querySelector(".message.assistant .answer")?.textContent ?? "").length > 0
          );
          await page.click("#stop");
          await page.waitForFunction(() => document.body.dataset.state === "idle");
          assert.equal(await page.locator("#conversation .message").count(), 2);
          assert.match(
            (await page.textContent(".message.assistant .note")) ?? "",
            /Stopped before the end/,
          );
          assert.ok(((await page.textContent(".message.assistant .answer")) ?? "").length > 0);
        } finally {
          await page.context().close();
          await slowServer.shutdown();
        }
      });

      await t.step("/docs: the interactive API page loads with no network", async () => {
        const page = await offlinePage(browser, blocked, problems);
        await page.goto(`${base}/docs`);
        await page.waitForSelector(".swagger-ui .opblock", { timeout: 15_000 });
        assert.match(
          (await page.locator(".swagger-ui .title").first().textContent()) ?? "",
          /Contoso Chat API/,
        );
        const operations = await page.locator(".swagger-ui .opblock-summary-path")
          .allTextContents();
        assert.ok(
          operations.some((p) => p.includes("/api/create_response")),
          operations.join(", "),
        );
        await page.context().close();
      });

      await t.step("/chat asks for the API key when the server requires one", async () => {
        const { app: keyed } = createTestApp({ env: { CONTOSO_API_KEY: "browser-key" } });
        const keyServer = startServer(keyed, { port: 0, hostname: "127.0.0.1" });
        const expected: string[] = [];
        const page = await offlinePage(browser, blocked, expected);
        try {
          await page.goto(`http://127.0.0.1:${keyServer.addr.port}/chat`);
          await page.waitForSelector("#api-key-panel:not([hidden])");
          await page.fill("#api-key", "browser-key");
          await page.click("#save-key");
          await page.waitForSelector('#customer option[value="1"]', { state: "attached" });
          await page.selectOption("#customer", "1");
          await page.fill("#question", "Which tent?");
          await page.click("#send");
          await page.waitForSelector('body[data-state="idle"] .message.assistant:not(.streaming)');
          assert.match(
            (await page.locator(".message.assistant .answer").textContent()) ?? "",
            /Sarah/,
          );
          // The only console error is the browser reporting the first, keyless 401.
          assert.ok(expected.every((p) => /401/.test(p)), expected.join("\n"));
        } finally {
          await page.context().close();
          await keyServer.shutdown();
        }
      });

      assert.deepEqual(blocked, [], "no request left the machine");
      assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
    } finally {
      await browser.close();
      await server.shutdown();
      await runtime.close();
    }
  },
});
