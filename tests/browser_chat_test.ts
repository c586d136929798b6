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
import type { Browser, Page } from "playwright-core";
import { type ChatPipeline, createRuntime, loadConfig } from "../lib/mod.ts";
import { createApp } from "../server/app.ts";
import { createMemoryLogger } from "../server/logger.ts";
import { startServer } from "../server/serve.ts";
import { createTestApp } from "../server/testing.ts";
import { ignoreWithoutChromium, launchChromium } from "./_chromium.ts";

const ARTIFACTS = new URL("../test-artifacts/", import.meta.url);

/** The real pipeline, with a pause before each text delta so the streaming is visible. */
function paced(pipeline: ChatPipeline, delayMs: number): ChatPipeline {
  return {
    getResponse: (request) => pipeline.getResponse(request),
    async *streamResponse(request) {
      for await (const event of pipeline.streamResponse(request)) {
        if (event.type === "delta") await new Promise((r) => setTimeout(r, delayMs));
        yield event;
      }
    },
  };
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
    if (url.hostname === "127.0.0.1") problems.push(`failed: ${request.url()}`);
  });
  return page;
}

Deno.test({
  name: "chat page and API docs in Chromium, offline",
  ignore: ignoreWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const runtime = await createRuntime(loadConfig({}));
    const app = createApp({
      config: runtime.config,
      pipeline: paced(runtime.pipeline, 15),
      customers: runtime.customers,
      checkServices: (o) => runtime.checkServices(o),
      logger: createMemoryLogger(),
      version: "browser-test",
    });
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
          await page.click("#send");
          // Part of the answer is on screen while the stream is still open ...
          await page.waitForFunction(() => {
            const answer = document.querySelector(".message.assistant.streaming .answer");
            return answer !== null && (answer.textContent ?? "").length > 0;
          });
          assert.equal(await page.getAttribute("body", "data-state"), "streaming");
          // ... and the whole answer once it is done.
          await page.waitForSelector('body[data-state="idle"] .message.assistant:not(.streaming)');
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
