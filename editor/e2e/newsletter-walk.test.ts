/**
 * A German marketer's walk, counted: from a blank flow named in plain words to a published
 * newsletter sign-up. Every screen on the way is searched for English texts of the app (and the
 * English screens for German ones); problems name their setting and open it on a click; the
 * consent fix asks for the purpose; the flow stays unpublishable until one is given.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, connect, type EditorSuite, type RunningServer, screenshotDir, shot, signIn, startEditorSuite } from "./harness.ts";
import { foreignTexts } from "./screen-texts.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir: string;
let editor: TestMember;

/** Counts what the person does: clicks (and drags) and fields typed into. */
class Walk {
  clicks = 0;
  typed = 0;
  constructor(readonly page: Page) {}
  async click(testId: string): Promise<void> {
    this.clicks++;
    await this.page.getByTestId(testId).click();
  }
  async type(testId: string, text: string): Promise<void> {
    this.typed++;
    await this.page.getByTestId(testId).fill(text);
  }
  async choose(testId: string, value: string): Promise<void> {
    this.clicks++;
    await this.page.getByTestId(testId).selectOption(value);
  }
  async connect(source: string, pointer: string, target: string): Promise<void> {
    this.clicks++;
    await connect(this.page, source, pointer, target);
  }
}

/** The flow's own content is in German whatever the UI language; it is not the app's text. */
const flowContent = ["Newsletter-Anmeldung", "Vielen Dank – bis bald im Postfach!", "Kein Problem – ohne Ihre Einwilligung", "Dürfen wir Ihre Angaben", "Newsletter per E-Mail", "newsletter-anmeldung", "Hallo! Wie kann ich helfen?", "Wie lautet Ihre E-Mail-Adresse?", "Danke! Sie bekommen"];

async function expectNoForeignTexts(page: Page, lang: "de" | "en", screen: string): Promise<void> {
  expect({ screen, found: await foreignTexts(page, lang, flowContent) }).toEqual({ screen, found: [] });
}

describe.skipIf(!browserAvailable)("the newsletter walk in German", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-newsletter-"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("builds and publishes a newsletter sign-up from a blank flow, in plain German", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, server, editor, "de");
    await page.getByTestId("new-flow-name").waitFor();
    await page.getByTestId("template-support-faq").waitFor();
    expect(await page.getByTestId("template-support-faq").textContent()).toContain("beantwortet häufige Fragen in eigenen Worten");
    expect(await page.getByTestId("template-support-faq").locator("svg rect").count()).toBeGreaterThan(5);
    await shot(page, "after-list-de");
    await expectNoForeignTexts(page, "de", "list");
    const walk = new Walk(page);

    // A name in plain words; the id is derived and shown.
    await walk.type("new-flow-name", "Newsletter-Anmeldung");
    await expect.poll(() => page.getByTestId("new-flow-derived-id").textContent()).toContain("newsletter-anmeldung");
    await walk.click("create-flow");
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
    await expect.poll(() => page.locator("h1").first().textContent()).toContain("Newsletter-Anmeldung");
    await shot(page, "after-blank-de");
    await expectNoForeignTexts(page, "de", "blank flow");

    // The blank flow's problems name the setting and say what to fill in; a click opens it.
    const controllerProblem = page.locator('.problem[data-pointer="/privacy/controller/name"]');
    await expect.poll(() => controllerProblem.textContent()).toContain("Datenschutz › Unternehmen (Verantwortlicher)");
    expect(await controllerProblem.textContent()).toContain("Tragen Sie den Namen Ihres Unternehmens ein");
    await controllerProblem.locator(".problem-text").click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("controller-name");
    expect(await page.locator(".side-panel [data-testid='field-error']").first().textContent()).toContain("Tragen Sie den Namen");

    await walk.type("controller-name", "Muster GmbH");
    await walk.type("controller-address", "Musterstraße 1, 10115 Berlin");
    await walk.type("controller-email", "datenschutz@muster.example");
    await walk.type("policy-url", "https://muster.example/datenschutz");
    await walk.type("imprint-url", "https://muster.example/impressum");

    // A step from the palette lands in view and opens in the side panel.
    await walk.click("palette-input");
    await page.locator('.react-flow__node[data-id="input-1"]').waitFor();
    const canvasBox = await page.getByTestId("canvas").boundingBox();
    const inputBox = await page.locator('.react-flow__node[data-id="input-1"]').boundingBox();
    if (!canvasBox || !inputBox) throw new Error("no boxes");
    expect(inputBox.x).toBeGreaterThanOrEqual(canvasBox.x);
    expect(inputBox.y + inputBox.height).toBeLessThanOrEqual(canvasBox.y + canvasBox.height);
    await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("input-1");
    await walk.type("field-text", "Wie lautet Ihre E-Mail-Adresse?");
    await walk.type("field-field", "email");
    await walk.choose("field-format", "email");
    expect(await page.getByTestId("field-format").locator("option:checked").textContent()).toBe("E-Mail-Adresse");
    await expectNoForeignTexts(page, "de", "input step");
    await walk.connect("welcome", "/next", "input-1");

    await walk.click("palette-end");
    await page.locator('.react-flow__node[data-id="end-1"]').waitFor();
    await walk.type("field-text", "Danke! Sie bekommen gleich eine E-Mail zur Bestätigung.");
    // "Weiter zu" is a picker of steps by what they say, not a free-text id.
    await page.locator('.react-flow__node[data-id="input-1"] .flow-node-text').click();
    walk.clicks++;
    await page.getByTestId("field-next").focus();
    await expect.poll(async () => (await page.getByTestId("field-next").locator("option").allTextContents()).some((option) => option.startsWith("Ende „Danke! Sie bekommen"))).toBe(true);
    await walk.choose("field-next", "end-1");

    // The missing consent shows; the fix asks for the purpose and inserts nothing without one.
    const consentProblem = page.locator('.problem[data-rule="consent-missing"]');
    await expect.poll(() => consentProblem.count()).toBe(1);
    expect(await consentProblem.textContent()).toContain("Eingabe „Wie lautet Ihre E-Mail-Adresse?“");
    await walk.click("fix-consent");
    await expect.poll(() => page.getByTestId("consent-purpose-insert").isDisabled()).toBe(true);
    await shot(page, "after-consent-purpose-de");
    await expectNoForeignTexts(page, "de", "consent purpose");
    await walk.type("consent-purpose", "Newsletter per E-Mail");
    await walk.click("consent-purpose-insert");
    await expect.poll(() => consentProblem.count()).toBe(0);
    expect(await page.getByTestId("field-purpose").inputValue()).toBe("Newsletter per E-Mail");
    await expectNoForeignTexts(page, "de", "consent step");
    await shot(page, "after-consent-inserted-de", { allowed: flowContent });

    await walk.click("publish");
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/Als Version [0-9a-f]{8} veröffentlicht\./);
    await expect.poll(() => page.getByTestId("publish-status").textContent()).toMatch(/veröffentlicht · Version [0-9a-f]{8}$/);
    await shot(page, "after-published-de");
    const text = readFileSync(join(flowsDir, "newsletter-anmeldung.yaml"), "utf8");
    expect(text).toContain("title: Newsletter-Anmeldung");
    expect(text).toContain("purpose: Newsletter per E-Mail");

    // The preview is the widget: the consent shows its purpose and the data it covers, by label.
    await page.getByTestId("tab-preview").click();
    const consent = page.getByTestId("preview-widget").locator(".consent");
    await consent.waitFor();
    expect(await consent.textContent()).toContain("Zweck: Newsletter per E-Mail");
    expect(await consent.textContent()).toContain("E-Mail-Adresse");
    await shot(page, "after-preview-de");

    // The other screens of the editor, in German.
    for (const tab of ["yaml", "preview", "embed"] as const) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForTimeout(300);
      await expectNoForeignTexts(page, "de", tab);
    }
    writeFileSync(join(screenshotDir, "newsletter-walk-count.json"), JSON.stringify({ clicks: walk.clicks, typed: walk.typed }));
    console.log(`newsletter walk: ${walk.clicks} clicks, ${walk.typed} typed fields`);
    expect(walk.clicks).toBeLessThanOrEqual(14);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows no German texts of the app on English screens", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "en-US" });
    await signIn(page, server, editor, "en");
    await page.getByTestId("open-newsletter-anmeldung").waitFor();
    expect(await page.getByTestId("open-newsletter-anmeldung").textContent()).toBe("Newsletter-Anmeldung");
    await expectNoForeignTexts(page, "en", "list");
    await page.getByTestId("open-newsletter-anmeldung").click();
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
    await expectNoForeignTexts(page, "en", "canvas");
    await page.locator('.react-flow__node[data-id="input-1"] .flow-node-text').click();
    await expectNoForeignTexts(page, "en", "input step");
    await shot(page, "after-input-step-en", { allowed: flowContent });
    await page.close();
  }, 60_000);

  it("shows the publications with date, author and what changed, and goes back to one with a click", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    await signIn(page, server, editor, "de");
    await page.getByTestId("open-newsletter-anmeldung").click();
    await page.locator('.react-flow__node[data-id="end-1"]').waitFor();
    await page.locator('.react-flow__node[data-id="end-1"] .flow-node-text').click();
    await page.getByTestId("field-text").fill("Vielen Dank – bis bald im Postfach!");
    await page.getByTestId("publish").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/Als Version [0-9a-f]{8} veröffentlicht\./);
    await page.getByTestId("tab-history").click();
    await expect.poll(() => page.getByTestId("history-entry").count()).toBe(2);
    const newest = page.getByTestId("history-entry").first();
    expect(await newest.textContent()).toContain("online");
    expect(await newest.textContent()).toContain(`von ${editor.email}`);
    expect(await newest.getByTestId("history-changes").textContent()).toContain("Ende „Vielen Dank – bis bald im Postfach!“ – geändert");
    expect(await newest.getByTestId("history-changes").textContent()).toContain("Danke! Sie bekommen gleich eine E-Mail zur Bestätigung. → Vielen Dank – bis bald im Postfach!");
    await shot(page, "after-history-de");
    await expectNoForeignTexts(page, "de", "history");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId("history-entry").nth(1).getByTestId("rollback").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/Version [0-9a-f]{8} ist wieder online\./);
    await expect.poll(() => page.getByTestId("history-entry").count()).toBe(3);
    expect(await page.getByTestId("history-entry").first().textContent()).toContain("online");
    expect(readFileSync(join(flowsDir, "newsletter-anmeldung.yaml"), "utf8")).toContain("Danke! Sie bekommen gleich eine E-Mail zur Bestätigung.");
    expect((await server.catalog.current("newsletter-anmeldung"))?.yaml).toContain("Danke! Sie bekommen gleich eine E-Mail zur Bestätigung.");
    await page.close();
  }, 60_000);

  it("refuses to save broken YAML over the last good file, and says so in German at the line", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    await signIn(page, server, editor, "de");
    await page.getByTestId("open-newsletter-anmeldung").click();
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
    const before = readFileSync(join(flowsDir, "newsletter-anmeldung.yaml"), "utf8");
    await page.getByTestId("tab-yaml").click();
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\nkaputt: [offen\n");
    await page.getByTestId("yaml-errors").waitFor();
    const errors = await page.getByTestId("yaml-errors").textContent();
    expect(errors).toMatch(/Zeile \d+, Spalte \d+: Die Einrückung stimmt nicht/);
    await expect.poll(() => page.getByTestId("problems").textContent()).toContain("1 Fehler");
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/^Nicht gespeichert: Das YAML hat in Zeile \d+ einen Fehler/);
    expect(readFileSync(join(flowsDir, "newsletter-anmeldung.yaml"), "utf8")).toBe(before);
    await shot(page, "after-broken-yaml-de");
    await expectNoForeignTexts(page, "de", "broken yaml");
    await page.close();
  }, 60_000);
});
