/**
 * The live chat in Chromium with two browser contexts: a visitor on the demo page reaches the
 * support flow's handover, an agent signs in to the inbox, claims it, both write, the agent hands
 * back and the flow continues in the visitor's widget. Screenshots of both sides, German and
 * English, go to scratch/editor-screenshots (and BOTSCHAFT_SCREENSHOT_DIR, when set), each checked
 * for texts of the other language.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { createFakeClock } from "../../runtime/testing/fake-clock.ts";
import { builtWidget } from "../../runtime/testing/built-widget.ts";
import { browserAvailable, buildEditor, examplesDir, launchChromium, type RunningServer, screenshotDir, shot, signIn, startServer } from "./harness.ts";

const widget = "[data-botschaft-widget]";

let browser: Browser;
let server: RunningServer;
let agent: TestMember;

async function botSays(page: Page, text: string): Promise<void> {
  await page.locator(`${widget} .bot`).filter({ hasText: text }).last().waitFor({ timeout: 10_000 });
}

async function answer(page: Page, text: string): Promise<void> {
  await page.locator(`${widget} #answer`).fill(text);
  await page.locator(`${widget} #answer`).press("Enter");
}

/** The visitor opens the chat on the demo page and asks for the support team, with consent to share name and e-mail. */
async function visitorReachesHandover(page: Page, name: string): Promise<void> {
  await page.goto(`${server.url}/demo`);
  await page.getByRole("button", { name: "Chat starten" }).click();
  await botSays(page, "Hallo! Ich bin der Service-Bot");
  await page.locator(`${widget} button[aria-controls=menu]`).click();
  await page.locator(`${widget} nav button`, { hasText: "Support-Team" }).click();
  await page.locator(`${widget} button.option:enabled`, { hasText: "Ja, einverstanden" }).click();
  await botSays(page, "Wie heißen Sie?");
  await answer(page, name);
  await botSays(page, "Unter welcher E-Mail-Adresse");
  await answer(page, "paula@example.org");
  await botSays(page, `Einen Moment bitte, ${name}`);
}

async function openInbox(page: Page, locale: "de" | "en"): Promise<void> {
  await signIn(page, server, agent, locale);
  await page.getByTestId("nav-inbox").click();
  await page.getByTestId("inbox").waitFor();
}

describe.skipIf(!browserAvailable)("the live chat in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-live-chat-"));
    copyFileSync(join(examplesDir, "support-faq.yaml"), join(flowsDir, "support-faq.yaml"));
    copyFileSync(join(examplesDir, "velo-service.faq.yaml"), join(flowsDir, "velo-service.faq.yaml"));
    // A Monday, 10:00 in Berlin: within the support team's opening hours.
    server = await startServer(flowsDir, await buildEditor(), { clock: createFakeClock({ at: "2026-03-02T09:00:00.000Z" }), widgetAssets: await builtWidget() });
    await server.catalog.publish("support-faq", readFileSync(join(flowsDir, "support-faq.yaml"), "utf8"));
    agent = await server.member(["agent"], "anna.agentin@muster.example");
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("takes a visitor from the demo page through claim, replies both ways and hand-back (German)", async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 1100, height: 850 }, locale: "de-DE" })).newPage();
    const agentPage = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "de-DE" })).newPage();
    const errors: string[] = [];
    for (const page of [visitor, agentPage]) page.on("pageerror", (error) => errors.push(error.message));

    // An editor keeps a canned answer for the flow.
    const editorPage = await (await browser.newContext({ viewport: { width: 1200, height: 700 }, locale: "de-DE" })).newPage();
    await signIn(editorPage, server, await server.member(["editor"], "erika.editorin@muster.example"), "de");
    await editorPage.getByTestId("nav-canned").click();
    await editorPage.getByTestId("canned-add").click();
    await editorPage.getByLabel("Titel").fill("Akku prüfen");
    await editorPage.getByLabel("Text", { exact: true }).fill("Bitte prüfen Sie, ob der Akku richtig eingerastet ist.");
    await editorPage.getByTestId("canned-save").click();
    await editorPage.getByText("Gespeichert.").waitFor();
    await shot(editorPage, "live-chat-canned-de");

    await visitorReachesHandover(visitor, "Paula Rad");
    await openInbox(agentPage, "de");
    const entry = agentPage.locator('[data-testid^="inbox-entry-"]').first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain("wartet");
    expect(await entry.textContent()).toContain("Einen Moment bitte, [name]");
    await entry.click();
    await agentPage.getByTestId("inbox-claim").click();
    await agentPage.getByTestId("inbox-release").waitFor();
    expect(await agentPage.getByTestId("inbox-shares").textContent()).toContain("Paula Rad");
    // Fields by their labels in the flow's language, not by their ids.
    expect(await agentPage.getByTestId("inbox-shares").textContent()).toContain("E-Mail-Adresse");
    expect(await agentPage.getByTestId("inbox-shares").textContent()).toContain("Priorität");
    // Only what the step shares: the consent log and the visitor's earlier answers are not there.
    expect(await agentPage.getByTestId("inbox-messages").textContent()).not.toContain("Wie heißen Sie?");

    await botSays(visitor, "Jemand aus unserem Team ist jetzt für Sie da.");
    await agentPage.getByTestId("inbox-reply").fill("Guten Tag, Frau Rad! Wie kann ich <b>helfen</b>?");
    await agentPage.getByTestId("inbox-send").click();
    await botSays(visitor, "Guten Tag, Frau Rad! Wie kann ich <b>helfen</b>?");
    await answer(visitor, "Mein Akku lädt nicht mehr.");
    await agentPage.getByTestId("inbox-messages").getByText("Mein Akku lädt nicht mehr.").waitFor({ timeout: 10_000 });
    await agentPage.getByTestId("inbox-canned").selectOption({ label: "Akku prüfen" });
    expect(await agentPage.getByTestId("inbox-reply").inputValue()).toBe("Bitte prüfen Sie, ob der Akku richtig eingerastet ist.");
    await agentPage.getByTestId("inbox-send").click();
    await botSays(visitor, "Bitte prüfen Sie, ob der Akku richtig eingerastet ist.");
    await agentPage.getByTestId("inbox-reply").fill("Das schauen wir uns an. Ich gebe Sie kurz an den Bot zurück.");
    await agentPage.getByTestId("inbox-send").click();
    await botSays(visitor, "Das schauen wir uns an.");
    await shot(visitor, "live-chat-visitor-de");
    await shot(agentPage, "live-chat-agent-de");

    await agentPage.getByTestId("inbox-release").click();
    await agentPage.getByTestId("inbox-ended").waitFor();
    expect(await agentPage.getByTestId("inbox-ended").textContent()).toBe("An den Bot zurückgegeben.");
    await botSays(visitor, "Kann ich sonst noch etwas für Sie tun?");
    await visitor.locator(`${widget} button.option:enabled`, { hasText: "Nein, danke" }).click();
    await botSays(visitor, "Danke für Ihre Nachricht und gute Fahrt!");
    expect(errors).toEqual([]);
    const opens = (await server.runtime.audit.list({})).filter((entry) => entry.action === "live-chat.open");
    expect(opens.map((entry) => entry.actor)).toEqual(["anna.agentin@muster.example"]);
  }, 120_000);

  it("shows the inbox in English, with a conversation taken by a colleague", async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 1100, height: 850 }, locale: "de-DE" })).newPage();
    await visitorReachesHandover(visitor, "Max Muster");
    const agentPage = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "en-GB" })).newPage();
    await openInbox(agentPage, "en");
    await agentPage.locator('[data-testid^="inbox-entry-"]').first().click();
    await agentPage.getByTestId("inbox-claim").click();
    await agentPage.getByTestId("inbox-reply").fill("Hello! How can I help?");
    await agentPage.getByTestId("inbox-send").click();
    await botSays(visitor, "Hello! How can I help?");
    await answer(visitor, "Können Sie mich zurückrufen?");
    await agentPage.getByTestId("inbox-messages").getByText("Können Sie mich zurückrufen?").waitFor({ timeout: 10_000 });
    expect(await agentPage.getByTestId("nav-inbox").textContent()).toBe("Live chat");
    // The flow's field labels are its own, in German.
    await shot(agentPage, "live-chat-agent-en", { allowed: ["E-Mail-Adresse"] });
    await agentPage.getByTestId("inbox-close").click();
    await agentPage.getByTestId("inbox-ended").waitFor();
    expect(await agentPage.getByTestId("inbox-ended").textContent()).toBe("The conversation has ended.");
    await botSays(visitor, "Neues Gespräch starten");
  }, 120_000);
});
