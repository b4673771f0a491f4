/**
 * End to end, as a marketer would: log in, build a small flow from scratch by dragging steps
 * and connecting them, type texts, see publishing refused for a missing consent, apply the
 * one-click fix, publish, and chat through the flow in the preview. Plus the bad-input cases.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, centre, connect, type EditorSuite, type RunningServer, shot, signIn, startEditorSuite } from "./harness.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir: string;

let editor: TestMember;

async function login(page: Page, locale = "en"): Promise<void> {
  await signIn(page, server, editor);
  await page.getByTestId("new-flow-name").waitFor();
  if (locale !== "en") await page.getByTestId("ui-language").selectOption(locale);
}

async function selectNode(page: Page, id: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="${id}"] .flow-node-text`).click();
  await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe(id);
}

describe.skipIf(!browserAvailable)("the editor in Chromium", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-flows-"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("lets a marketer build, fix, publish and try a flow", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "en-US" });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await login(page);
    await page.getByTestId("new-flow-name").fill("Lead capture");
    await page.getByTestId("create-flow").click();
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();

    // Privacy settings in the side panel (nothing selected shows the flow settings).
    await page.getByTestId("controller-name").fill("Muster GmbH");
    await page.getByTestId("controller-address").fill("Musterstraße 1, 10115 Berlin");
    await page.getByTestId("controller-email").fill("datenschutz@muster.example");
    await page.getByTestId("policy-url").fill("https://muster.example/datenschutz");
    await page.getByTestId("imprint-url").fill("https://muster.example/impressum");
    await page.getByTestId("retention-amount").fill("6");
    await page.getByTestId("retention-unit").selectOption("M");

    // Drag an input and an end step from the palette onto the canvas.
    const canvas = page.getByTestId("canvas");
    const box = await canvas.boundingBox();
    if (!box) throw new Error("no canvas");
    await page.getByTestId("palette-input").dragTo(canvas, { targetPosition: { x: box.width / 2 - 200, y: box.height / 2 + 180 } });
    await page.locator('.react-flow__node[data-id="input-1"]').waitFor();
    await page.getByTestId("palette-end").dragTo(canvas, { targetPosition: { x: box.width / 2 + 120, y: box.height / 2 + 230 } });
    await page.locator('.react-flow__node[data-id="end-1"]').waitFor();
    await shot(page, "01-dragged");

    await connect(page, "welcome", "/next", "input-1");
    await connect(page, "input-1", "/next", "end-1");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(2);

    // Type texts, including hostile markup that must stay text.
    await selectNode(page, "welcome");
    await page.getByTestId("field-text").fill('Hi! <img src=x onerror="window.__pwned=1"> <b>Welcome</b>');
    await selectNode(page, "input-1");
    await page.getByTestId("field-text").fill("What is your email address?");
    await page.getByTestId("field-field").fill("email");
    await page.getByTestId("field-format").selectOption("email");
    await selectNode(page, "end-1");
    await page.getByTestId("field-text").fill("Thanks, bye!");
    await expect.poll(() => page.locator('.react-flow__node[data-id="welcome"] .flow-node-text').textContent()).toContain("<b>Welcome</b>");
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // Live validation already sees the missing consent; the server refuses to publish.
    await expect.poll(() => page.locator('.problem[data-rule="consent-missing"]').count()).toBe(1);
    await expect.poll(() => page.locator('.react-flow__node[data-id="input-1"] .badge-error').count()).toBe(1);
    await page.getByTestId("publish").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toContain("Publishing was refused");
    const refused = await page.locator('.problem[data-rule="consent-missing"]').textContent();
    expect(refused).toMatch(/line \d+, column \d+/);
    await page.locator('.problem[data-rule="consent-missing"] button', { hasText: "Show path" }).click();
    await expect.poll(() => page.locator(".flow-node.highlighted").count()).toBe(2);
    await shot(page, "02-refused-with-path");

    // The fix asks for the purpose (never guesses it) and inserts a consent; its text can be edited right away.
    await page.getByTestId("fix-consent").click();
    await expect.poll(() => page.getByTestId("consent-purpose-insert").isDisabled()).toBe(true);
    await page.getByTestId("consent-purpose").fill("Answering your request");
    await page.getByTestId("consent-purpose-insert").click();
    await expect.poll(() => page.locator('.problem[data-rule="consent-missing"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("consent-input-1");
    await page.getByTestId("field-text").fill("May we store your email address to answer you?");
    expect(await page.getByTestId("field-purpose").inputValue()).toBe("Answering your request");
    await shot(page, "03-fixed");

    await page.getByTestId("publish").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/Published as version [0-9a-f]{8}\./);
    await expect.poll(() => page.getByTestId("publish-status").textContent()).toContain("published");
    expect(readFileSync(join(flowsDir, "lead-capture.yaml"), "utf8")).toContain("type: consent");
    expect((await server.catalog.list()).map((entry) => entry.flow)).toEqual(["lead-capture"]);

    // Preview: the widget itself, answered by the engine in the page: consent with purpose and data, an answer, my data, unsubscribe.
    await page.getByTestId("tab-preview").click();
    const preview = page.getByTestId("preview-widget");
    await preview.getByText('Hi! <img src=x onerror="window.__pwned=1"> <b>Welcome</b>').waitFor();
    await preview.getByText("May we store your email address to answer you?").waitFor();
    await preview.locator(".consent").getByText("Answering your request").waitFor();
    await preview.getByRole("button", { name: "Yes, I agree" }).click();
    await preview.getByText("What is your email address?").waitFor();
    await preview.locator("input#answer").fill("erika@example.org");
    await preview.locator("input#answer").press("Enter");
    await preview.getByText("Thanks, bye!").waitFor();
    await preview.getByRole("button", { name: "Menu" }).click();
    await preview.getByRole("button", { name: "My data" }).click();
    await preview.locator(".bot").getByText("erika@example.org").first().waitFor();
    await shot(page, "04-preview");
    await preview.getByRole("button", { name: "Menu" }).click();
    await preview.getByRole("button", { name: "Unsubscribe & delete" }).click();
    await preview.getByRole("button", { name: "Yes, unsubscribe and delete" }).click();
    await expect.poll(() => page.getByTestId("preview-notes").textContent()).toContain("All data of this conversation was deleted.");

    // Keyboard: delete a step, undo brings it back, redo removes it again.
    await page.getByTestId("tab-canvas").click();
    await page.locator('.react-flow__node[data-id="end-1"] .flow-node-text').click();
    await page.keyboard.press("Delete");
    await expect.poll(() => page.locator('.react-flow__node[data-id="end-1"]').count()).toBe(0);
    await page.keyboard.press("Control+z");
    await expect.poll(() => page.locator('.react-flow__node[data-id="end-1"]').count()).toBe(1);
    await page.keyboard.press("Control+Shift+z");
    await expect.poll(() => page.locator('.react-flow__node[data-id="end-1"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  }, 120_000);
});

describe.skipIf(!browserAvailable)("the editor with bad input", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-bad-"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("opens a file that does not parse in the YAML tab with the error located", async () => {
    writeFileSync(join(flowsDir, "broken.yaml"), "flow: broken\nnodes:\n  a: [unclosed\n  b: ok\n");
    const page = await browser.newPage({ locale: "de-DE" });
    await login(page, "de");
    await page.getByTestId("open-broken").click();
    const errors = page.getByTestId("yaml-errors");
    await errors.waitFor();
    expect(await errors.textContent()).toMatch(/Zeile \d+, Spalte \d+/);
    await expect.poll(() => page.getByTestId("yaml-editor").textContent()).toContain("a: [unclosed");
    await shot(page, "05-broken-yaml");
    // Fixing the text in the YAML tab brings the canvas back.
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+a");
    await page.keyboard.type("flow: broken\ntitle: B\nnodes:\n  a:\n    type: end\n");
    await expect.poll(() => page.getByTestId("yaml-errors").count(), { timeout: 5000 }).toBe(0);
    await page.getByTestId("tab-canvas").click();
    await page.locator('.react-flow__node[data-id="a"]').waitFor();
    await page.close();
  }, 60_000);

  it("refuses to overwrite a newer version saved in another tab", async () => {
    writeFileSync(join(flowsDir, "shared.yaml"), readFileSync(new URL("../../examples/callback-request.yaml", import.meta.url), "utf8").replace("flow: callback-request", "flow: shared"));
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 900 } });
    const first = await context.newPage();
    const second = await context.newPage();
    for (const page of [first, second]) {
      await login(page);
      await page.getByTestId("open-shared").click();
      await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
    }
    // The file has no layout: the auto-layout places the boxes top to bottom and the view fits them.
    const y = async (id: string) => (await first.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())?.y ?? Number.NaN;
    await expect.poll(async () => (await y("main")) > (await y("welcome"))).toBe(true);
    await expect.poll(async () => (await first.locator('.react-flow__node[data-id="done"]').boundingBox())?.y ?? 10_000).toBeLessThan(900);
    await first.getByTestId("flow-title").fill("First tab's title");
    await first.getByTestId("save").click();
    await expect.poll(() => first.getByTestId("notice").textContent()).toBe("Saved.");
    await second.getByTestId("flow-title").fill("Second tab's title");
    await second.getByTestId("save").click();
    await second.getByTestId("conflict").waitFor();
    expect(readFileSync(join(flowsDir, "shared.yaml"), "utf8")).toContain("title: First tab's title");
    // The example flow's own German texts are content on the English screen.
    await shot(second, "06-conflict", { allowed: ["ohne Ihre Einwilligung"] });
    // Leaving with unsaved changes asks first.
    let asked = "";
    second.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await second.getByRole("button", { name: "All flows" }).click();
    expect(asked).toBe("You have unsaved changes. Leave anyway?");
    // Closing the tab with unsaved changes asks too (the browser's own beforeunload prompt).
    const prompted = new Promise<string>((resolve) => second.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.accept();
    }));
    await second.close({ runBeforeUnload: true });
    expect(await prompted).toBe("beforeunload");
    await context.close();
  }, 60_000);

  it("creates from an example, duplicates, renames and deletes flows (after a confirmation)", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await login(page);
    await page.getByTestId("new-flow-name").fill("FAQ");
    await page.getByTestId("template-support-faq").click();
    await page.getByTestId("create-flow").click();
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
    await page.getByRole("button", { name: "All flows" }).click();
    const answers = ["faq-copy", "Häufige Fragen Herbst", "faq-renamed"];
    page.on("dialog", (dialog) => {
      if (dialog.type() === "prompt") void dialog.accept(answers.shift());
      else void dialog.accept();
    });
    const row = (id: string) => page.locator(".flow-file", { has: page.getByTestId(`open-${id}`) });
    await row("faq").getByRole("button", { name: "Duplicate" }).click();
    await page.getByTestId("open-faq-copy").waitFor();
    // Renaming changes the title the list shows; changing the id is a separate, developer's action.
    await row("faq-copy").getByRole("button", { name: "Rename" }).click();
    await expect.poll(() => page.getByTestId("open-faq-copy").textContent()).toBe("Häufige Fragen Herbst");
    expect(readFileSync(join(flowsDir, "faq-copy.yaml"), "utf8")).toContain("title: Häufige Fragen Herbst");
    await row("faq-copy").getByRole("button", { name: "Change id" }).click();
    await page.getByTestId("open-faq-renamed").waitFor();
    expect(readFileSync(join(flowsDir, "faq-renamed.yaml"), "utf8")).toContain("flow: faq-renamed");
    await row("faq-renamed").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.getByTestId("open-faq-renamed").count()).toBe(0);
    expect(readdirSync(flowsDir).filter((name) => name.startsWith("faq")).sort()).toEqual(["faq.yaml"]);
    await page.close();
  }, 60_000);

  it("reconnects and deletes edges on the canvas", async () => {
    writeFileSync(join(flowsDir, "edges.yaml"), readFileSync(new URL("../../examples/callback-request.yaml", import.meta.url), "utf8").replace("flow: callback-request", "flow: edges"));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "en-US" });
    await login(page);
    await page.getByTestId("open-edges").click();
    const edge = page.locator('.react-flow__edge[data-id="hours/next"]');
    await edge.waitFor({ state: "attached" });
    await expect.poll(async () => (await page.locator('.react-flow__node[data-id="done"]').boundingBox())?.y ?? 10_000).toBeLessThan(900);
    // The auto-layout's fit-to-view comes a moment after the boxes move (later under load): wait
    // until the layout is in and the viewport rests, so the anchor measured below stays put.
    const top = async (id: string) => (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())?.y ?? Number.NaN;
    await expect.poll(async () => (await top("main")) > (await top("welcome"))).toBe(true);
    let viewport: string | null = "";
    await expect
      .poll(async () => {
        const now = await page.locator(".react-flow__viewport").getAttribute("style");
        const resting = now === viewport;
        viewport = now;
        return resting;
      }, { interval: 300 })
      .toBe(true);
    // Drag the arrow's end from "main" to "done".
    const anchor = centre(await page.locator('.react-flow__edge[data-id="hours/next"] .react-flow__edgeupdater-target').boundingBox());
    const to = centre(await page.locator('.react-flow__node[data-id="done"] .target-handle').boundingBox());
    await page.mouse.move(anchor.x, anchor.y);
    await page.mouse.down();
    await page.mouse.move((anchor.x + to.x) / 2, (anchor.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await selectNode(page, "hours");
    await expect.poll(() => page.getByTestId("field-next").inputValue()).toBe("done");
    // Select the edge and delete it.
    await page.locator('.react-flow__edge[data-id="hours/next"] .react-flow__edge-interaction').click({ force: true });
    await page.keyboard.press("Delete");
    await expect.poll(() => page.locator('.react-flow__edge[data-id="hours/next"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId("field-next").inputValue()).toBe("");
    await page.close();
  }, 60_000);
});
