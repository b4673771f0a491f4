/**
 * The "Embed on your website" tab: a never-published flow asks to be published first; once
 * published, the runtime's snippet is shown as text with its CSP lines, re-fetched with the
 * chosen theme, and copied (or selected where the clipboard is refused); a draft says to
 * publish first. German and English.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, type EditorSuite, type RunningServer, screenshotDir, shot, signIn, startEditorSuite } from "./harness.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir: string;
let editor: TestMember;

async function openFlow(page: Page, id: string): Promise<void> {
  await signIn(page, server, editor);
  await page.getByTestId(`open-${id}`).click();
  await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
}

const snippetText = (page: Page) => page.getByTestId("embed-snippet").textContent().then((text) => text ?? "");

describe.skipIf(!browserAvailable)("the editor's embed tab in Chromium", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-embed-"));
    const example = readFileSync(new URL("../../examples/callback-request.yaml", import.meta.url), "utf8");
    writeFileSync(join(flowsDir, "shop-bot.yaml"), example.replace("flow: callback-request", "flow: shop-bot"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("asks to publish first, then shows, themes and copies the snippet of the published flow", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US", permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await openFlow(page, "shop-bot");

    await page.getByTestId("tab-embed").click();
    expect(await page.getByTestId("tab-embed").textContent()).toBe("Embed on your website");
    expect(await page.getByTestId("embed-publish-first").textContent()).toContain("This flow is not published yet. Publish it first");
    expect(await page.getByTestId("embed-snippet").count()).toBe(0);
    expect(await page.getByTestId("embed-panel").textContent()).toContain("Nothing loads before the visitor clicks");
    expect(await page.getByTestId("embed-demo").getAttribute("href")).toBe("/demo?flow=shop-bot");
    await page.getByTestId("embed-panel").screenshot({ path: join(screenshotDir, "07-embed-unpublished.png") });

    // Publishing from the same tab brings the snippet.
    await page.getByTestId("publish").click();
    await expect.poll(() => page.getByTestId("publish-status").textContent()).toContain("published");
    await page.getByTestId("embed-snippet").waitFor();
    expect(await page.getByTestId("embed-publish-first").count()).toBe(0);
    const plain = await snippetText(page);
    expect(plain).toContain('data-botschaft="shop-bot"');
    expect(plain).toContain("<button");
    expect(plain).toContain(`data-src="${server.url}/widget/widget.js"`);
    // Text, not markup: the editor's page holds no launcher of its own.
    expect(await page.locator(".embed aside.botschaft, .embed button[aria-describedby]").count()).toBe(0);
    const csp = (await page.getByTestId("embed-csp").textContent()) ?? "";
    expect(csp).toMatch(new RegExp(`^script-src 'sha256-[A-Za-z0-9+/]+=*' ${server.url};$`, "m"));
    expect(csp).toMatch(new RegExp(`^style-src 'sha256-[A-Za-z0-9+/]+=*' ${server.url};$`, "m"));
    expect(csp).toContain(`connect-src ${server.url}`);

    // The theme options fetch the snippet again; a title with markup stays escaped text.
    await page.getByTestId("embed-lang").selectOption("en");
    await page.getByTestId("embed-position").selectOption("left");
    await page.getByTestId("embed-color").fill("#ff8800");
    await page.getByTestId("embed-title").fill("Ask <b>us</b>");
    await expect.poll(() => snippetText(page)).toContain('data-title="Ask &#60;b&#62;us&#60;/b&#62;"');
    const themed = await snippetText(page);
    expect(themed).toContain('data-lang="en"');
    expect(themed).toContain('data-position="left"');
    expect(themed).toContain('data-accent="#ff8800"');
    expect(themed).toContain(">Start chat</button>");
    await page.getByTestId("embed-panel").screenshot({ path: join(screenshotDir, "08-embed-published.png") });

    await page.getByTestId("embed-snippet-copy").click();
    await expect.poll(() => page.getByTestId("embed-snippet-copy-state").textContent()).toBe("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(themed);

    // The demo page the link opens shows this flow's launcher.
    const demo = await page.request.get(`${server.url}/demo?flow=shop-bot`);
    expect(demo.status()).toBe(200);
    expect(await demo.text()).toContain('data-botschaft="shop-bot"');

    // An unpublished change makes a draft: it says to publish first, the live snippet stays.
    await page.getByTestId("tab-canvas").click();
    await page.getByTestId("flow-title").fill("Rückruf, neu");
    await page.getByTestId("tab-embed").click();
    await expect.poll(() => page.getByTestId("embed-publish-first").textContent()).toContain("Your latest changes are not published yet. Publish first");
    await page.getByTestId("embed-snippet").waitFor();
    // The theme chosen before the look at the canvas is still there.
    expect(await page.getByTestId("embed-position").inputValue()).toBe("left");
    expect(await snippetText(page)).toContain('data-botschaft="shop-bot"');
    expect(await snippetText(page)).toContain('data-position="left"');

    await page.getByTestId("ui-language").selectOption("de");
    expect(await page.getByTestId("tab-embed").textContent()).toBe("Auf der Website einbinden");
    expect(await page.getByTestId("embed-publish-first").textContent()).toContain("Veröffentlichen Sie zuerst");
    expect(await page.getByTestId("embed-panel").textContent()).toContain("Vor dem Klick auf den Button lädt nichts");
    await shot(page, "09-embed-draft-de");
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 90_000);

  it("selects the snippet for copying by hand when the clipboard is refused", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
    await context.addInitScript(() => {
      Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new Error("denied")) } });
    });
    const page = await context.newPage();
    await openFlow(page, "shop-bot");
    await page.getByTestId("tab-embed").click();
    await page.getByTestId("embed-snippet").waitFor();
    await page.getByTestId("embed-snippet-copy").click();
    await expect.poll(() => page.getByTestId("embed-snippet-copy-state").textContent()).toContain("Selected – press Ctrl+C");
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(await snippetText(page));
    await context.close();
  }, 60_000);
});
