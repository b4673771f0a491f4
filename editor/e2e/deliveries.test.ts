/**
 * Durable deliveries and analytics in Chromium: the webhook step offers the choice in words, an
 * editor sees the deliveries that failed — recipient, step, reason in words, never the data —
 * and sends one again; an administrator sees the signing secret; the analytics page compares a
 * flow's versions. German and English screens.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type EditorSuite, type RunningServer, shot, signIn, startEditorSuite } from "./harness.ts";

/** The example flows' own German texts and field labels: content, not the app's text, on English screens too. */
const flowContent = ["ohne Ihre Einwilligung", "Die Einwilligung können Sie", "Telefonnummer", "E-Mail-Adresse"];

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
const durableFlow = readFileSync(new URL("../../examples/callback-durable.yaml", import.meta.url), "utf8");
/** Screens of this suite also go where the team's notes keep them, when that folder exists. */

async function pageIn(locale: "de" | "en"): Promise<Page> {
  const context = await browser.newContext({ locale: locale === "de" ? "de-DE" : "en-GB", viewport: { width: 1366, height: 800 } });
  return context.newPage();
}

/** A delivery of the durable flow that failed for good with `error`. */
async function failedDelivery(error: string, attempts: number): Promise<string> {
  const { runtime } = server;
  const id = await runtime.deliveries.enqueue({ kind: "webhook", url: "https://crm.muster.example/api/callbacks", body: { name: "Max Muster" }, flow: "callback-durable", node: "send-crm" });
  await runtime.store.deliveries.fail(id, attempts, runtime.clock().toISOString(), error);
  return id;
}

describe.skipIf(!browserAvailable)("durable deliveries in the editor", () => {
  beforeAll(async () => {
    const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-deliveries-"));
    writeFileSync(join(flowsDir, "callback-durable.yaml"), durableFlow);
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
  }, 120_000);

  afterAll(() => suite?.close());

  it("offers the delivery of a webhook step in words", async () => {
    const editor = await server.member(["editor"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, editor, lang);
      await page.getByTestId("open-callback-durable").click();
      await page.locator('.react-flow__node[data-id="send-crm"] .flow-node-text').click();
      await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("send-crm");
      const choice = page.getByTestId("field-delivery");
      const options = await choice.locator("option").allTextContents();
      expect(options).toContain(lang === "de" ? "Zuverlässig – im Hintergrund" : "Reliably – in the background");
      expect(await choice.locator("option:checked").textContent()).toBe(lang === "de" ? "Zuverlässig – im Hintergrund" : "Reliably – in the background");
      await choice.scrollIntoViewIfNeeded();
      await shot(page, `deliveries-01-webhook-step-${lang}`, { fullPage: true, allowed: flowContent });
      await page.context().close();
    }
  }, 60_000);

  it("offers the processor's notices address under the processor, labelled in words", async () => {
    const editor = await server.member(["editor"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, editor, lang);
      await page.getByTestId("open-callback-durable").click();
      await page.locator('.react-flow__node[data-id="send-crm"] .flow-node-text').click();
      await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("send-crm");
      const address = page.getByTestId("field-notices.url");
      expect(await address.inputValue()).toBe("https://crm.muster.example/api/gdpr");
      const field = page.locator(".form-field", { has: address });
      const text = (await field.textContent()) ?? "";
      expect(text).toContain(lang === "de" ? "Adresse für Löschungen und Korrekturen (https)" : "Address for erasures and corrections (https)");
      expect(text).toContain(lang === "de" ? "Datenschutz-Adresse des Empfängers" : "recipient's privacy address");
      // It sits right after the processor's fields.
      const order = await page.locator("[data-testid^='field-']").evaluateAll((elements) => elements.map((element) => element.getAttribute("data-testid")));
      expect(order.indexOf("field-notices.url")).toBe(order.indexOf("field-processor.safeguard") + 1);
      await address.scrollIntoViewIfNeeded();
      await shot(page, `deliveries-01b-webhook-notices-${lang}`, { allowed: flowContent });
      await page.context().close();
    }
  }, 60_000);

  it("lists failed deliveries for an editor, in words, and sends one again", async () => {
    const first = await failedDelivery("http-status 503", 31);
    await failedDelivery("timeout", 40);
    const editor = await server.member(["editor"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, editor, lang);
      await page.getByTestId("nav-deliveries").click();
      const table = page.getByTestId("failed-deliveries");
      await table.waitFor();
      const text = (await table.textContent()) ?? "";
      expect(text).toContain("crm.muster.example");
      expect(text).toContain(lang === "de" ? "antwortete mit Fehler 503" : "answered with error 503");
      expect(text).toContain(lang === "de" ? "keine Antwort in der Zeit" : "no answer in time");
      expect(text).toContain("callback-durable › send-crm");
      expect(text).not.toContain("Max Muster");
      await shot(page, `deliveries-02-failed-list-${lang}`, { fullPage: true });
      await page.context().close();
    }
    const page = await pageIn("de");
    await signIn(page, server, editor, "de");
    await page.getByTestId("nav-deliveries").click();
    await page.getByTestId("failed-deliveries").locator("tbody tr", { hasText: "Fehler 503" }).getByTestId("retry-delivery").click();
    await expect.poll(() => page.locator(".notice.ok").textContent()).toBe("Erneut angestoßen; die Zustellung läuft im Hintergrund.");
    await expect.poll(async () => (await server.runtime.store.deliveries.get(first))?.status).toBe("pending");
    await expect.poll(() => page.getByTestId("failed-deliveries").locator("tbody tr").count()).toBe(1);
    await shot(page, "deliveries-03-sent-again-de", { fullPage: true });
    await page.context().close();
  }, 60_000);

  it("shows the DPO a notice to a processor that is down as being tried again, in words", async () => {
    const { runtime } = server;
    const id = await runtime.deliveries.enqueue({ kind: "notice", url: "https://crm.muster.example/api/gdpr", body: { type: "erasure", fields: ["email"] }, survivesErasure: true });
    expect(await runtime.store.deliveries.reschedule(id, 3, new Date(runtime.clock().getTime() + 60_000).toISOString(), "http-status 503")).toBe(true);
    const dpo = await server.member(["dpo"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, dpo, lang);
      await page.getByTestId("nav-deliveries").click();
      const row = page.getByTestId("retrying-deliveries").locator("tbody tr", { hasText: lang === "de" ? "Mitteilung an einen Empfänger" : "Notice to a recipient" });
      await row.waitFor();
      const text = (await row.textContent()) ?? "";
      expect(text).toContain("crm.muster.example");
      expect(text).toContain(lang === "de" ? "antwortete mit Fehler 503" : "answered with error 503");
      expect(text).not.toContain("notice");
      await shot(page, `deliveries-05-notice-retrying-${lang}`, { fullPage: true });
      await page.context().close();
    }
  }, 60_000);

  it("shows the signing secret to an administrator only", async () => {
    const admin = await server.member(["admin"]);
    const page = await pageIn("de");
    await signIn(page, server, admin, "de");
    await page.getByTestId("nav-deliveries").click();
    await page.getByTestId("show-delivery-secret").click();
    expect(await page.getByTestId("delivery-secret").textContent()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await shot(page, "deliveries-04-secret-de", { fullPage: true });
    await page.context().close();
    const dpo = await server.member(["dpo"]);
    const dpoPage = await pageIn("en");
    await signIn(dpoPage, server, dpo, "en");
    await dpoPage.getByTestId("nav-deliveries").click();
    await dpoPage.getByTestId("deliveries").waitFor();
    expect(await dpoPage.getByTestId("show-delivery-secret").count()).toBe(0);
    await dpoPage.context().close();
  }, 60_000);

  it("compares a flow's versions on the analytics page, in words, with small counts hidden", async () => {
    const { runtime } = server;
    const walk = async (turns: object[]) => {
      const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-durable" }).expect(201);
      for (const body of turns) await request(runtime.app).post(`/api/v1/conversations/${started.body.id}/messages`).set("authorization", `Bearer ${started.body.token}`).send(body).expect(200);
    };
    const lead = [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Max Muster" }, { text: "030 123456" }];
    await runtime.catalog.publish("callback-durable", durableFlow);
    for (let index = 0; index < 3; index++) await walk(lead);
    await runtime.catalog.publish("callback-durable", durableFlow.replace("Montag bis Freitag", "Montag bis Samstag"));
    for (let index = 0; index < 8; index++) await walk(index < 6 ? lead : [{ choice: "Rückruf anfordern" }, { choice: "decline" }]);
    const editor = await server.member(["editor"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, editor, lang);
      await page.getByTestId("nav-analytics").click();
      const table = page.getByTestId("analytics-table");
      await table.waitFor();
      const rows = await table.locator("tbody tr").allTextContents();
      expect(rows).toContain(lang === "de" ? "Gespräche begonnen8<5" : "Conversations started8<5");
      expect(rows).toContain(lang === "de" ? "Anteil abgeschlossen75 %–" : "Share completed75 %–");
      await shot(page, `analytics-01-versions-${lang}`, { fullPage: true, allowed: flowContent });
      await page.context().close();
    }
  }, 60_000);
});
