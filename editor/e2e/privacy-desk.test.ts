/**
 * The data protection officer's pages in Chromium (docs/privacy.md#the-dpos-pages): "Anfragen"
 * finds one person by e-mail across a web chat and a Telegram chat, corrects a field and erases
 * both, and says honestly when nothing is stored; "Nachweise" shows the erasure, verifies the
 * chain, and after tampering lets an administrator acknowledge the break; "Unterlagen" shows the
 * generated texts in German and English and how a publish waiting for approval would change
 * them. Roles that may not use the desk do not see its pages. Screens in German and English.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, telegramSecret, type TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { type FakePlatform, startFakePlatform } from "../../runtime/testing/fake-platform.ts";
import { browserAvailable, type EditorSuite, type RunningServer, shot, signIn, startEditorSuite } from "./harness.ts";
import { contactFlow } from "../../runtime/testing/contact-flow.ts";

const contactYaml = contactFlow();

const chatId = 515_151_515;
let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let telegram: FakePlatform;
const people: Record<"dpo" | "admin" | "editor" | "agent", TestMember> = {} as never;

async function pageIn(locale: "de" | "en"): Promise<Page> {
  const context = await browser.newContext({ locale: locale === "de" ? "de-DE" : "en-GB", viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  return page;
}

async function webChat(name: string, phone: string, email: string): Promise<string> {
  const app = server.runtime.app;
  const chat = await request(app).post("/api/v1/conversations").send({ flow: "contact" }).expect(201);
  for (const body of [{ choice: "accept" }, { text: name }, { text: phone }, { text: email }]) {
    await request(app).post(`/api/v1/conversations/${chat.body.id}/messages`).set("authorization", `Bearer ${chat.body.token}`).send(body).expect(200);
  }
  return chat.body.id as string;
}

let nextUpdate = 900_000_000;
async function telegramText(text: string, repliesAfter: number): Promise<void> {
  const updateId = ++nextUpdate;
  const from = { id: chatId, is_bot: false, first_name: "Erika" };
  const body = text.startsWith("c:")
    ? { update_id: updateId, callback_query: { id: `cbq-${updateId}`, from, message: { message_id: 1, chat: { id: chatId, type: "private" }, date: 1767225610 }, chat_instance: "-1", data: text } }
    : { update_id: updateId, message: { message_id: updateId, date: 1767225600, from, chat: { id: chatId, type: "private" }, text, ...(text.startsWith("/") ? { entities: [{ offset: 0, length: text.length, type: "bot_command" }] } : {}) } };
  await request(server.runtime.app).post("/channels/telegram/webhook").set("content-type", "application/json").set("x-telegram-bot-api-secret-token", telegramSecret).send(JSON.stringify(body)).expect(200);
  await eventually(() => telegram.calls.filter((call) => call.method === "sendMessage").length >= repliesAfter, 15_000);
}

/** What a German screen must not show: English words of the UI, field ids, raw JSON. */
function expectGerman(text: string): void {
  for (const english of ["Request", "Ledger", "Proof", "Erase", "Export (", "Deadline", "Search", "found", "given", "visitor", "nothing-stored", '{"', "phone", "email"]) expect(text).not.toContain(english);
}

describe.skipIf(!browserAvailable)("the privacy desk's pages in Chromium", () => {
  let webId = "";
  let telegramId = "";

  beforeAll(async () => {
    telegram = await startFakePlatform("telegram");
    const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-privacy-"));
    writeFileSync(join(flowsDir, "contact.yaml"), contactYaml);
    suite = await startEditorSuite(flowsDir, { approval: "dpo", messengers: { telegramBase: telegram.base, telegramFlow: "contact" } });
    ({ server, browser } = suite);
    await server.catalog.publish("contact", contactYaml);
    people.dpo = await server.member(["dpo"], "dora@muster.example");
    people.admin = await server.member(["admin"], "chefin@muster.example");
    people.editor = await server.member(["editor"], "max@muster.example");
    people.agent = await server.member(["agent"], "anna@muster.example");
    webId = await webChat("Erika Mustermann", "+49 170 1234567", "erika@example.org");
    await telegramText("/start", 1);
    await telegramText("c:accept", 2);
    await telegramText("Erika Mustermann", 3);
    await telegramText("0170 1234567", 4);
    await telegramText("ERIKA@example.org", 5);
    await server.runtime.settled();
    // The Telegram user asked too, by their user id: a request of its own, left open.
    telegramId = (await server.runtime.privacyDesk.open({ messenger: { channel: "telegram", id: String(chatId) } })).conversations[0]?.id ?? "";
  }, 120_000);

  afterAll(async () => {
    await suite?.close();
    await telegram?.close();
  });

  it("shows the desk's pages only to those who may use them", async () => {
    for (const role of ["editor", "agent"] as const) {
      const page = await pageIn("de");
      await signIn(page, server, people[role], "de");
      for (const nav of ["requests", "ledger", "paperwork"]) expect(await page.getByTestId(`nav-${nav}`).count()).toBe(0);
      await page.context().close();
    }
    const page = await pageIn("de");
    await signIn(page, server, people.dpo, "de");
    expect(await page.getByTestId("nav-requests").textContent()).toBe("Anfragen");
    expect(await page.getByTestId("nav-ledger").textContent()).toBe("Nachweise");
    expect(await page.getByTestId("nav-paperwork").textContent()).toBe("Unterlagen");
    await page.context().close();
  }, 60_000);

  it("finds a person by e-mail on the web and on Telegram, corrects and erases both, and says when nothing is stored", async () => {
    expect(telegramId).not.toBe("");
    // A request from last month nobody answered: overdue, at the top of the list.
    await server.runtime.store.privacyDesk.saveRequest({
      id: "alt-anfrage-01",
      subject: "x",
      kind: "phone",
      createdAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      deadline: new Date(Date.now() - 9 * 86_400_000).toISOString(),
      status: "open",
      conversations: [],
      outcomes: [],
    });
    const page = await pageIn("de");
    await signIn(page, server, people.dpo, "de");
    await page.getByTestId("nav-requests").click();
    await page.getByTestId("request-value").fill("Erika@Example.org");
    await page.getByTestId("request-search").click();
    const found = page.getByTestId("request-conversations");
    await found.waitFor();
    const text = (await found.textContent()) ?? "";
    expect(text).toContain("Web-Chat");
    expect(text).toContain("Telegram");
    expect(text).toContain("Name, Telefonnummer, E-Mail-Adresse");
    expect(text).not.toContain("Erika");
    expect(await page.locator("tr.overdue-row").count()).toBe(1);
    expect(await page.locator(".deadline.overdue").first().textContent()).toContain("seit 9 Tag(en) überfällig");
    await shot(page, "privacy-01-requests-found-de", { fullPage: true });
    expectGerman((await page.getByTestId("requests").textContent()) ?? "");

    // A correction of the web conversation's phone number, through the chat's own correction.
    await page.getByTestId(`correct-field-${webId}`).selectOption("phone");
    await page.getByTestId(`correct-value-${webId}`).fill("030 7654321");
    await page.getByTestId(`correct-${webId}`).click();
    await expect.poll(() => page.getByTestId("request-notice").textContent()).toBe("Berichtigt. Die Berichtigung ist in den Nachweisen vermerkt.");
    const corrected = await server.runtime.service.peek(webId);
    expect(corrected?.state.fields.phone).toBe("0307654321");

    await page.getByTestId("request-erase").click();
    await expect.poll(() => page.getByTestId("request-notice").textContent()).toBe("Gelöscht. Die Löschung ist in den Nachweisen vermerkt; die Anfrage ist erledigt.");
    expect(await server.runtime.store.conversations.get(webId)).toBeUndefined();
    expect(await server.runtime.store.conversations.get(telegramId)).toBeUndefined();
    expect(await page.getByTestId("request-history").textContent()).toContain("2 Gespräch(e) gelöscht");
    await shot(page, "privacy-02-requests-erased-de", { fullPage: true });

    await page.getByTestId("request-value").fill("niemand@example.org");
    await page.getByTestId("request-search").click();
    await expect.poll(() => page.getByTestId("request-nothing").textContent()).toContain("Nichts gespeichert.");
    await shot(page, "privacy-03-requests-nothing-de", { fullPage: true });
    // The audit trail names what the DPO did in words, and nothing about the person.
    await page.getByTestId("nav-audit").click();
    await page.getByTestId("audit-entries").waitFor();
    const trail = (await page.getByTestId("audit-entries").textContent()) ?? "";
    for (const done of ["Datenschutzanfrage angelegt", "Angabe für eine Anfrage berichtigt", "Daten einer Person für eine Anfrage gelöscht"]) expect(trail).toContain(done);
    for (const value of ["erika", "7654321", "privacy.request"]) expect(trail).not.toContain(value);
    await page.context().close();

    // The same page in English, with a person found by their phone number.
    await webChat("Max Beispiel", "+49 151 2223334", "max.b@example.org");
    const english = await pageIn("en");
    await signIn(english, server, people.dpo, "en");
    await english.getByTestId("nav-requests").click();
    await english.getByTestId("request-kind").selectOption("phone");
    await english.getByTestId("request-value").fill("0151 2223334");
    await english.getByTestId("request-search").click();
    await english.getByTestId("request-conversations").waitFor();
    expect(await english.getByTestId("request-conversations").textContent()).toContain("Name, Telefonnummer, E-Mail-Adresse");
    await english.getByTestId("request-extend-reason").fill("We are waiting for the person's proof of identity");
    await english.getByTestId("request-extend").click();
    await expect.poll(() => english.getByTestId("request-notice").textContent()).toBe("The deadline is extended. Tell the person why.");
    // The flow's field labels are its own, in German.
    await shot(english, "privacy-04-requests-en", { fullPage: true, allowed: ["Telefonnummer", "E-Mail-Adresse"] });
    await english.context().close();
  }, 120_000);

  it("shows the ledger with the erasure, one person's entries, the exports and the verification", async () => {
    await server.runtime.ledger.settled();
    for (const lang of ["de", "en"] as const) {
      const page = await pageIn(lang);
      await signIn(page, server, people.dpo, lang);
      await page.getByTestId("nav-ledger").click();
      const table = page.getByTestId("ledger-entries");
      await table.waitFor();
      const rows = await table.locator("tbody tr").allTextContents();
      const erasures = rows.filter((row) => row.includes(lang === "de" ? "Löschungauf Anfrage (Anfrage " : "Erasureon request (request "));
      expect(erasures.some((row) => row.includes("Telegram"))).toBe(true);
      expect(erasures.some((row) => row.includes(lang === "de" ? "Web-Chat" : "Web chat"))).toBe(true);
      expect(rows.some((row) => row.includes(lang === "de" ? "Einwilligungerteilt" : "Consentgiven"))).toBe(true);
      expect(rows.some((row) => row.includes(lang === "de" ? "Berichtigungauf Anfrage (Anfrage " : "Correctionon request (request "))).toBe(true);
      expect(await page.getByTestId("ledger-csv").getAttribute("href")).toBe("/api/v1/privacy/ledger?format=csv");
      await page.getByTestId("ledger-verify").click();
      await expect.poll(() => page.getByTestId("ledger-status").textContent()).toMatch(lang === "de" ? /^Unversehrt: alle \d+ Einträge geprüft\./ : /^Intact: all \d+ entries verified\./);
      if (lang === "de") expectGerman((await page.getByTestId("ledger").textContent()) ?? "");
      await shot(page, `privacy-05-ledger-${lang}`, { fullPage: true });
      // One person's entries: the Telegram user's, by their pseudonym.
      await page.locator('tbody tr:has-text("Telegram") button.link').first().click();
      await expect.poll(async () => (await table.locator("tbody tr").allTextContents()).every((row) => row.includes("Telegram"))).toBe(true);
      expect(await page.getByTestId("ledger-csv").getAttribute("href")).toContain("&person=");
      await shot(page, `privacy-06-ledger-person-${lang}`, { fullPage: true });
      await page.context().close();
    }
    // The CSV the button downloads, with the DPO's session.
    const csv = await request(server.runtime.app).get("/api/v1/privacy/ledger?format=csv").set("cookie", people.dpo.cookie).expect(200);
    expect(csv.text).toContain(",erasure,,,contact,");
  }, 120_000);

  it("shows a tampered chain and lets an administrator acknowledge the break", async () => {
    // Someone with database access adds a consent nobody gave; without the secret its hash cannot be right.
    const store = server.runtime.store.proofLedger;
    const { head } = await store.status();
    if (!head) throw new Error("an empty ledger");
    await store.append([{ seq: head.seq + 1, prev: head.hash, hash: "f".repeat(64), time: new Date().toISOString(), type: "consent", decision: "given", purpose: "Newsletter", flow: "contact", channel: "web", person: "erfunden" }], head);
    const dpo = await pageIn("de");
    await signIn(dpo, server, people.dpo, "de");
    await dpo.getByTestId("nav-ledger").click();
    await dpo.getByTestId("ledger-verify").click();
    await expect.poll(() => dpo.getByTestId("ledger-status").textContent()).toContain("Die Nachweiskette ist beschädigt (Eintrag");
    expect(await dpo.getByTestId("ledger-status").textContent()).toContain("Ein Administrator muss den Bruch bestätigen");
    expect(await dpo.getByTestId("ledger-acknowledge").count()).toBe(0);
    await shot(dpo, "privacy-07-ledger-broken-de", { fullPage: true });
    await dpo.context().close();

    const admin = await pageIn("en");
    await signIn(admin, server, people.admin, "en");
    await admin.getByTestId("nav-ledger").click();
    await expect.poll(() => admin.getByTestId("ledger-status").textContent()).toContain("The ledger is broken (entry");
    await shot(admin, "privacy-08-ledger-broken-admin-en", { fullPage: true });
    await admin.getByTestId("ledger-acknowledge").click();
    await expect.poll(() => admin.getByTestId("ledger-status").textContent()).toMatch(/^\d+ entries\./);
    await expect.poll(() => admin.getByTestId("ledger-entries").locator("tbody tr").first().textContent()).toContain("Break acknowledged");
    const first = await admin.getByTestId("ledger-entries").locator("tbody tr").first().textContent();
    expect(first).toContain("acknowledged by chefin@muster.example");
    await admin.context().close();
  }, 120_000);

  it("shows the paperwork in German and English, and how a publish waiting for approval would change it", async () => {
    const proposed = contactYaml.replace("retention: P90D", "retention: P180D");
    const outcome = await server.runtime.publishing.publish("contact", proposed, "de", { actor: "max@muster.example" });
    expect(outcome.kind).toBe("requested");
    const page = await pageIn("de");
    await signIn(page, server, people.dpo, "de");
    await page.getByTestId("nav-paperwork").click();
    const text = page.getByTestId("paperwork-text");
    await text.waitFor();
    expect(await text.textContent()).toContain("Rückruf zu Ihrem Anliegen");
    const pending = page.getByTestId("paperwork-pending");
    await pending.waitFor();
    await pending.locator("summary").click();
    expect(await pending.textContent()).toContain("wartet auf Freigabe (beantragt von max@muster.example");
    expect(await pending.locator(".diff-added").count()).toBeGreaterThan(0);
    expect(await pending.locator(".diff-removed").count()).toBeGreaterThan(0);
    expectGerman((await page.getByTestId("paperwork").textContent()) ?? "");
    await shot(page, "privacy-09-paperwork-policy-de", { fullPage: true });
    for (const part of ["record", "measures", "deletion", "agreements"] as const) {
      await page.getByTestId(`paperwork-tab-${part}`).click();
      await expect.poll(async () => ((await text.textContent()) ?? "").length).toBeGreaterThan(20);
    }
    await page.getByTestId("paperwork-tab-deletion").click();
    await pending.locator("summary").click();
    await shot(page, "privacy-10-paperwork-deletion-de", { fullPage: true });
    const href = (await page.getByTestId("paperwork-download").getAttribute("href")) ?? "";
    expect(decodeURIComponent(href.slice(href.indexOf(",") + 1))).toMatch(/^#{1,3} /);
    expect(await page.getByTestId("paperwork-download").getAttribute("download")).toBe("contact-loeschkonzept.md");
    await page.getByTestId("paperwork-lang-en").click();
    await expect.poll(() => text.textContent()).toContain("Deletion");
    await page.context().close();

    const english = await pageIn("en");
    await signIn(english, server, people.dpo, "en");
    await english.getByTestId("nav-paperwork").click();
    await english.getByTestId("paperwork-text").waitFor();
    await english.getByTestId("paperwork-pending").waitFor();
    await english.getByTestId("paperwork-tab-record").click();
    await shot(english, "privacy-11-paperwork-record-en", { fullPage: true });
    await english.context().close();
  }, 120_000);
});
