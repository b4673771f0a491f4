/**
 * Leads in Chromium: the webhook step's integration presets filled in as a form (Brevo, e-mail
 * to the team), the results page for admins and the DPO (filters, exports; not for editors), and
 * the analytics page naming steps and versions in words. German and English screens.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminToken, browserAvailable, type EditorSuite, type RunningServer, shot, signIn, startEditorSuite } from "./harness.ts";

/** The example flows' own German texts and field labels: content, not the app's text, on English screens too. */
const flowContent = ["ohne Ihre Einwilligung", "Die Einwilligung können Sie", "Telefonnummer", "E-Mail-Adresse"];

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir = "";
const durableFlow = readFileSync(new URL("../../examples/callback-durable.yaml", import.meta.url), "utf8");
const newsletterFlow = readFileSync(new URL("../../examples/newsletter-signup.yaml", import.meta.url), "utf8");

async function pageIn(locale: "de" | "en"): Promise<Page> {
  const context = await browser.newContext({ locale: locale === "de" ? "de-DE" : "en-GB", viewport: { width: 1366, height: 860 } });
  return context.newPage();
}

async function openStep(page: Page, flow: string, step: string): Promise<void> {
  await page.getByTestId(`open-${flow}`).click();
  await page.locator(`.react-flow__node[data-id="${step}"] .flow-node-text`).click();
  await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe(step);
}

/** Saves the flow and reads the file as it is on disk. */
async function savedYaml(page: Page, flow: string): Promise<string> {
  await page.getByTestId("save").click();
  await expect.poll(() => readFileSync(join(flowsDir, `${flow}.yaml`), "utf8")).not.toBe(flow === "newsletter-signup" ? newsletterFlow : durableFlow);
  return readFileSync(join(flowsDir, `${flow}.yaml`), "utf8");
}

async function walk(turns: object[]): Promise<void> {
  const { runtime } = server;
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-durable" }).expect(201);
  for (const body of turns) await request(runtime.app).post(`/api/v1/conversations/${started.body.id}/messages`).set("authorization", `Bearer ${started.body.token}`).send(body).expect(200);
}

describe.skipIf(!browserAvailable)("leads in the editor", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-leads-"));
    writeFileSync(join(flowsDir, "callback-durable.yaml"), durableFlow);
    writeFileSync(join(flowsDir, "newsletter-signup.yaml"), newsletterFlow);
    suite = await startEditorSuite(flowsDir, { integrations: { secrets: ["BREVO"], mailProvider: { name: "Muster Mail GmbH", country: "DE" } } });
    ({ server, browser } = suite);
  }, 120_000);

  afterAll(() => suite?.close());

  it("turns a webhook step into a Brevo newsletter sign-up by a form: processor filled in, key by name, no JSON pointers", async () => {
    const editor = await server.member(["editor"]);
    const page = await pageIn("de");
    await signIn(page, server, editor, "de");
    await openStep(page, "newsletter-signup", "subscribe");
    const target = page.getByTestId("integration-target");
    expect(await target.locator("option").allTextContents()).toEqual(["CRM-Webhook (eigene Adresse)", "E-Mail an das Team", "Newsletter: Brevo (Double-Opt-in)", "Newsletter: CleverReach (Double-Opt-in)"]);
    await target.selectOption("brevo");
    await expect.poll(() => page.getByTestId("integration-secret").inputValue()).toBe("BREVO");
    expect(await page.getByTestId("integration-secret-state").textContent()).toBe("✓ auf dem Server hinterlegt");
    await page.getByTestId("integration-list-ids").fill("12, 14");
    await page.getByTestId("integration-template-id").fill("7");
    await page.getByTestId("integration-redirect-url").fill("https://kaffee-nordlicht.example/newsletter/bestaetigt");
    expect(await page.getByTestId("integration-processor").textContent()).toContain("Sendinblue SAS (Brevo), Frankreich");
    // The address, the reply mapping and the waiting time are the preset's business now.
    expect(await page.getByTestId("field-url").count()).toBe(0);
    expect(await page.getByTestId("field-timeout").count()).toBe(0);
    await page.getByTestId("integration-form").scrollIntoViewIfNeeded();
    await shot(page, "leads-01-brevo-preset-de", { fullPage: true });
    const yaml = await savedYaml(page, "newsletter-signup");
    expect(yaml).toContain("preset: brevo");
    expect(yaml).toContain("secret: BREVO");
    expect(yaml).toMatch(/listIds:\s*\n?\s*- 12\s*\n\s*- 14|listIds: \[ ?12, 14 ?\]/);
    expect(yaml).toMatch(/name: Sendinblue SAS \(Brevo\)/);
    expect(yaml).not.toContain("url: https://api.postfach-versand.example/v1/lists");
    expect(yaml).not.toContain("xkeysib");
    const problems = (await page.getByTestId("problems").textContent()) ?? "";
    expect(problems).not.toContain("integration-setup");
    expect(problems).not.toContain("Auftragsverarbeiter dessen Unternehmen");
    await page.context().close();
  }, 90_000);

  it("offers e-mail to the team in English, with the installation's mail provider as processor", async () => {
    const editor = await server.member(["editor"]);
    const page = await pageIn("en");
    await signIn(page, server, editor, "en");
    await openStep(page, "callback-durable", "send-crm");
    await page.getByTestId("integration-target").selectOption("email");
    await page.getByTestId("integration-to").fill("sales@muster.example, team@muster.example");
    await page.getByTestId("integration-subject").fill("New call-back request");
    expect(await page.getByTestId("integration-processor").textContent()).toBe("This installation's mail server: Muster Mail GmbH, Germany.");
    await page.getByTestId("integration-form").scrollIntoViewIfNeeded();
    await shot(page, "leads-02-email-preset-en", { fullPage: true, allowed: flowContent });
    await page.getByTestId("integration-target").selectOption("cleverreach");
    await page.getByTestId("integration-form").scrollIntoViewIfNeeded();
    expect(await page.getByTestId("integration-secret-state").textContent()).toContain("not stored on the server yet");
    await shot(page, "leads-03-cleverreach-preset-en", { fullPage: true, allowed: flowContent });
    await page.context().close();
    const german = await pageIn("de");
    await signIn(german, server, editor, "de");
    await openStep(german, "callback-durable", "send-crm");
    await german.getByTestId("integration-target").selectOption("email");
    await german.getByTestId("integration-form").scrollIntoViewIfNeeded();
    await shot(german, "leads-02-email-preset-de", { fullPage: true });
    await german.context().close();
  }, 90_000);

  it("shows a flow's results to the DPO with labels, filters by outcome and exports CSV", async () => {
    // Published as the team does, so the flow's history numbers the version.
    await request(server.runtime.app).put("/api/v1/admin/flows/callback-durable").set("authorization", `Bearer ${adminToken}`).set("content-type", "text/yaml").send(durableFlow).expect(201);
    const lead = [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Erika Muster" }, { text: "030 123456" }];
    await walk(lead);
    await walk([{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "=HYPERLINK(1)" }, { text: "040 98765" }]);
    await walk([{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Max Offen" }]);
    const dpo = await server.member(["dpo"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, dpo, lang);
      await page.getByTestId("nav-results").click();
      const table = page.getByTestId("results-table");
      await table.waitFor();
      const head = (await table.locator("thead").textContent()) ?? "";
      // Labels in the flow's language (German), as the answers are.
      expect(head).toContain("Telefonnummer");
      await expect.poll(() => table.locator("tbody tr").count()).toBe(3);
      expect((await table.textContent()) ?? "").toContain("Erika Muster");
      expect((await table.textContent()) ?? "").toMatch(/Version 1 · \d\d\/?\.?\d\d/);
      await page.getByTestId("results-outcome").selectOption("completed");
      await expect.poll(() => table.locator("tbody tr").count()).toBe(2);
      expect((await table.textContent()) ?? "").not.toContain("Max Offen");
      await shot(page, `leads-04-results-${lang}`, { fullPage: true, allowed: flowContent });
      const href = (await page.getByTestId("results-csv").getAttribute("href")) ?? "";
      expect(href).toContain("format=csv");
      expect(href).toContain("outcome=completed");
      const csv = await page.request.get(`${server.url}${href}`);
      expect(csv.status()).toBe(200);
      const text = await csv.text();
      expect(text).toContain("Erika Muster");
      expect(text).toContain("'=HYPERLINK(1)");
      expect(text).not.toContain("Max Offen");
      await page.context().close();
    }
  }, 90_000);

  it("names steps by what they say and versions by number and date on the analytics page", async () => {
    const editor = await server.member(["editor"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, editor, lang);
      await page.getByTestId("nav-analytics").click();
      await page.getByTestId("analytics-flow").selectOption("callback-durable");
      const table = page.getByTestId("analytics-table");
      await table.waitFor();
      await expect.poll(async () => (await table.locator("thead").textContent()) ?? "").toMatch(/Version 1 · \d\d/);
      const text = (await table.textContent()) ?? "";
      expect(text).not.toContain("sha256:");
      expect(text).toContain(lang === "de" ? "Erreicht: Eingabe „Wie heißen Sie?“" : "Reached: Input “Wie heißen Sie?”");
      await shot(page, `leads-05-analytics-${lang}`, { fullPage: true });
      await page.context().close();
    }
  }, 60_000);

  it("draws the funnel on the canvas when an editor turns on the numbers: edge thickness and drop-off per step", async () => {
    const lead = [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Erika Muster" }, { text: "030 123456" }];
    for (let index = 0; index < 7; index++) await walk(lead);
    for (let index = 0; index < 6; index++) await walk([{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Max Offen" }]);
    const editor = await server.member(["editor"]);
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, editor, lang);
      await page.getByTestId("open-callback-durable").click();
      await page.getByTestId("show-numbers").check();
      // 3 + 7 + 6 reached the name question; 9 + 7 = 16 gave their name, 9 of them then their number.
      const phone = page.getByTestId("funnel-ask-phone");
      await expect.poll(() => phone.textContent()).toBe(lang === "de" ? "16 erreicht · 44 % hören hier auf" : "16 reached · 44 % stop here");
      const widths = await page.locator(".react-flow__edge-path").evaluateAll((paths) => paths.map((path) => Number.parseFloat((path as SVGPathElement).style.strokeWidth || "0")));
      expect(Math.max(...widths)).toBeGreaterThan(6);
      expect(Math.min(...widths)).toBeLessThan(2);
      expect(await page.locator(".react-flow__edge-textwrapper").count()).toBeGreaterThan(0);
      await shot(page, `leads-06-funnel-${lang}`, { allowed: flowContent });
      await page.getByTestId("show-numbers").uncheck();
      await expect.poll(() => page.getByTestId("funnel-ask-phone").count()).toBe(0);
      await page.context().close();
    }
  }, 90_000);

  // Last in the file: it publishes a new version, which the funnel above must not see.
  it("shows an editor a flow's results only where the flow allows it, with the permission as a tick box", async () => {
    // An editor: the flow does not share its results, so the page says so and shows nothing of them.
    const editor = await server.member(["editor"]);
    const page = await pageIn("de");
    await signIn(page, server, editor, "de");
    await page.getByTestId("nav-results").click();
    await expect.poll(() => page.locator(".notice.error").textContent()).toContain("gibt seine Ergebnisse nicht für Redakteure frei");
    expect(await page.getByTestId("results-table").count()).toBe(0);
    expect(await page.getByTestId("results-csv").count()).toBe(0);
    await shot(page, "leads-04b-results-not-shared-de", { fullPage: true });
    // The flow settings offer the permission as a tick box that writes privacy.editorsSeeResults.
    await page.getByTestId("nav-flows").click();
    await page.getByTestId("open-callback-durable").click();
    await page.getByTestId("editors-see-results").check();
    await page.getByTestId("save").click();
    await expect.poll(() => readFileSync(join(flowsDir, "callback-durable.yaml"), "utf8")).toContain("editorsSeeResults: true");
    await page.getByTestId("editors-see-results").scrollIntoViewIfNeeded();
    await shot(page, "leads-04c-editors-see-results-de");
    // Once published with it, the editor reads the results.
    const shared = readFileSync(join(flowsDir, "callback-durable.yaml"), "utf8");
    await request(server.runtime.app).put("/api/v1/admin/flows/callback-durable").set("authorization", `Bearer ${adminToken}`).set("content-type", "text/yaml").send(shared).expect(201);
    await page.getByTestId("nav-results").click();
    await expect.poll(async () => (await page.getByTestId("results-table").textContent()) ?? "").toContain("Erika Muster");
    await page.context().close();
  }, 120_000);
});
