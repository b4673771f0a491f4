/**
 * The knowledge base page in Chromium, German and English: the YAML with live validation, the
 * "try a question" box, and the review list — an unanswered question from a real conversation,
 * masked, with an agent's answer as the suggestion, added as a new entry.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, type EditorSuite, examplesDir, expectOneLanguage, type RunningServer, screenshotDir, signIn, startEditorSuite } from "./harness.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir: string;
let editor: TestMember;

/** A visitor asks something the knowledge base does not cover; an agent answers after the handover. */
async function unansweredQuestion(question: string, answer: string): Promise<void> {
  const started = await fetch(`${server.url}/api/v1/conversations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ flow: "support-faq" }) });
  const { id, token } = (await started.json()) as { id: string; token: string };
  await fetch(`${server.url}/api/v1/conversations/${id}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ type: "text", text: question }),
  });
  expect(await server.runtime.faqReview.agentAnswered({ conversation: id, answer })).toMatchObject({ kind: "suggested" });
}

async function openKnowledgeBases(page: Page, locale: "de" | "en"): Promise<void> {
  await signIn(page, server, editor, locale);
  await page.getByTestId("nav-knowledge").click();
  await page.getByTestId("kb-editor").waitFor();
}

describe.skipIf(!browserAvailable)("the knowledge base page in Chromium", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-faq-"));
    copyFileSync(join(examplesDir, "support-faq.yaml"), join(flowsDir, "support-faq.yaml"));
    copyFileSync(join(examplesDir, "velo-service.faq.yaml"), join(flowsDir, "velo-service.faq.yaml"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    await server.catalog.publish("support-faq", readFileSync(join(flowsDir, "support-faq.yaml"), "utf8"));
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("tries questions live and turns an unanswered question into a new entry (German)", async () => {
    await unansweredQuestion("Ich bin Anna Schmidt (0170 1234567). Repariert ihr auch Handys?", "Nein, Frau Schmidt, wir reparieren nur Fahrräder und E-Bikes.");
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 950 }, locale: "de-DE" })).newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await openKnowledgeBases(page, "de");
    expect(await page.getByTestId("nav-knowledge").textContent()).toBe("Wissensdatenbanken");
    expect(await page.getByTestId("kb-summary").textContent()).toBe("45 Einträge · 0 Fehler");

    await page.getByTestId("faq-try-input").fill("Habt ihr samstags offen?");
    expect(await page.getByTestId("faq-try-decision").textContent()).toBe("Antwortet direkt");
    expect(await page.getByTestId("faq-try-result").textContent()).toContain("opening-hours");
    await page.getByTestId("faq-try-input").fill("Wie wird das Wetter morgen?");
    expect(await page.getByTestId("faq-try-decision").textContent()).toBe("Unsicher: geht zum Ersatzweg (z. B. zu einem Menschen)");

    const item = page.getByTestId("review-item");
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain("„Ich bin [name] ([phone]). Repariert ihr auch Handys?“");
    expect(await page.getByTestId("review-suggestion").textContent()).toBe("Ein Mitarbeiter hat geantwortet: Nein, Frau [name], wir reparieren nur Fahrräder und E-Bikes.");
    await page.getByTestId("review-as-entry").click();
    await page.getByTestId("review-question").fill("Repariert ihr auch Handys?");
    await page.getByTestId("review-entry-id").fill("phone-repair");
    await page.getByTestId("review-answer").fill("Nein, wir reparieren nur Fahrräder und E-Bikes.");
    await page.getByTestId("kb-editor").screenshot({ path: join(screenshotDir, "20-knowledge-base-review-de.png") });
    await expectOneLanguage(page, "20-knowledge-base-review-de");
    await page.getByTestId("review-approve").click();
    await expect.poll(() => page.getByTestId("review-item").count()).toBe(0);
    await expect.poll(() => page.getByTestId("kb-summary").textContent()).toBe("46 Einträge · 0 Fehler");
    expect(readFileSync(join(flowsDir, "velo-service.faq.yaml"), "utf8")).toContain("  - id: phone-repair\n    questions:\n      - Repariert ihr auch Handys?");

    await page.getByTestId("faq-try-input").fill("Kann ich bei euch mein Handy reparieren lassen?");
    expect(await page.getByTestId("faq-try-result").textContent()).toContain("phone-repair");
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("answers free questions in the flow's preview from the saved knowledge base", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 950 }, locale: "de-DE" })).newPage();
    await signIn(page, server, editor, "de");
    await page.getByTestId("open-support-faq").click();
    await page.getByTestId("tab-preview").click();
    const preview = page.getByTestId("preview-widget");
    await preview.getByText("Was möchten Sie wissen?").first().waitFor();
    await preview.locator("input#answer").fill("Habt ihr samstags offen?");
    await preview.locator("input#answer").press("Enter");
    await preview.getByText("samstags von 10 bis 16 Uhr", { exact: false }).first().waitFor();
    await preview.getByRole("button", { name: "Andere Frage" }).last().click();
    await preview.locator("input#answer").fill("Wie wird das Wetter morgen?");
    await preview.locator("input#answer").press("Enter");
    await expect.poll(() => page.getByTestId("preview-notes").textContent()).toContain("(Unsicher: Die Frage käme maskiert in die Liste zur Prüfung: „Wie wird das Wetter morgen?“)");
    await page.getByTestId("preview").screenshot({ path: join(screenshotDir, "22-faq-preview-de.png") });
  }, 60_000);

  it("marks errors in the YAML where they are and warns about duplicate questions (English)", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 950 }, locale: "en-US" })).newPage();
    await openKnowledgeBases(page, "en");
    expect(await page.getByTestId("nav-knowledge").textContent()).toBe("Knowledge bases");
    await page.getByTestId("faq-try-input").fill("what does shipping cost");
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    // One insertion, as a paste would be: typed line by line, the editor would indent by itself.
    await page.keyboard.insertText("\n  - id: opening-hours\n    questions: [Öffnungszeiten]\n");
    await expect.poll(() => page.getByTestId("kb-problems").textContent()).toMatch(/^\d+:5 error: 'answer' is missing here\.$/);
    expect(await page.locator(".cm-lint-marker-error").count()).toBe(1);
    await page.keyboard.insertText("    answer: Doppelt.\n");
    await expect.poll(() => page.getByTestId("kb-problems").textContent()).toContain("error: The entry id 'opening-hours' is used twice");
    expect(await page.getByTestId("kb-problems").textContent()).toContain("warning: This entry has this question twice");
    expect(await page.getByTestId("faq-try-input").isDisabled()).toBe(true);
    expect(await page.getByTestId("review-list").textContent()).toContain("Nothing to review.");
    await page.getByTestId("kb-editor").screenshot({ path: join(screenshotDir, "21-knowledge-base-errors-en.png") });
    await expectOneLanguage(page, "21-knowledge-base-errors-en");
    expect(await page.getByTestId("kb-save").isEnabled()).toBe(true);
  }, 60_000);
});
