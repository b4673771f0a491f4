/**
 * The live chat with messenger users in Chromium (docs/inbox.md#messengers): a Telegram user on
 * the fake Bot API reaches the handover, an agent claims it in the inbox, they write both ways,
 * the agent hands back and the flow's next question reaches the user; a WhatsApp user's
 * conversation shows the 24-hour reply window, refuses a reply after it and says so. Screenshots
 * in German and English go to scratch/editor-screenshots.
 */
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, metaAppSecret, phoneNumberId, type TestMember, telegramSecret } from "../../runtime/testing/create-test-runtime.ts";
import { createFakeClock, type FakeClock } from "../../runtime/testing/fake-clock.ts";
import { type FakePlatform, type RecordedCall, startFakePlatform } from "../../runtime/testing/fake-platform.ts";
import { helpdeskFlow } from "../../runtime/testing/live-chat-fixtures.ts";
import { browserAvailable, buildEditor, launchChromium, type RunningServer, screenshotDir, shot, signIn, startServer } from "./harness.ts";

const hour = 3_600_000;
let browser: Browser;
let server: RunningServer;
let telegram: FakePlatform;
let graph: FakePlatform;
let clock: FakeClock;
let agent: TestMember;
let nextId = 900_000_000;

async function post(channel: "telegram" | "whatsapp", payload: unknown): Promise<void> {
  const raw = JSON.stringify(payload);
  const headers: Record<string, string> =
    channel === "telegram"
      ? { "content-type": "application/json", "x-telegram-bot-api-secret-token": telegramSecret }
      : { "content-type": "application/json", "x-hub-signature-256": `sha256=${createHmac("sha256", metaAppSecret).update(raw).digest("hex")}` };
  const response = await fetch(`${server.url}/channels/${channel}/webhook`, { method: "POST", headers, body: raw });
  expect(response.status).toBe(200);
  await server.runtime.settled();
}

function telegramText(chat: number, text: string): unknown {
  const id = ++nextId;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(clock().getTime() / 1000),
      from: { id: chat, is_bot: false, first_name: "Paula", language_code: "de" },
      chat: { id: chat, type: "private", first_name: "Paula" },
      text,
      ...(text.startsWith("/") ? { entities: [{ offset: 0, length: text.length, type: "bot_command" }] } : {}),
    },
  };
}

function telegramPress(chat: number, data: string): unknown {
  const id = ++nextId;
  return { update_id: id, callback_query: { id: `cbq-${id}`, from: { id: chat, is_bot: false, first_name: "Paula" }, message: { message_id: 43, chat: { id: chat, type: "private" }, date: 1767225610 }, chat_instance: "-8123", data } };
}

function whatsapp(user: string, message: Record<string, unknown>): unknown {
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "4930123456", phone_number_id: phoneNumberId },
    contacts: [{ profile: { name: "Anna" }, wa_id: user }],
    messages: [{ from: user, id: `wamid.e2e${++nextId}`, timestamp: String(Math.floor(clock().getTime() / 1000)), ...message }],
  };
  return { object: "whatsapp_business_account", entry: [{ id: "102290129340398", changes: [{ field: "messages", value }] }] };
}

const telegramTexts = (calls: readonly RecordedCall[], chat: number) => calls.filter((call) => call.method === "sendMessage" && String(call.body.chat_id) === String(chat)).map((call) => String(call.body.text));
const whatsappTexts = (calls: readonly RecordedCall[], user: string) =>
  calls.flatMap((call) => {
    const body = call.body as { to?: string; type?: string; text?: { body: string }; interactive?: { body: { text: string } } };
    if (body.to !== user) return [];
    return body.type === "text" ? [body.text?.body ?? ""] : body.type === "interactive" ? [body.interactive?.body.text ?? ""] : [];
  });

async function whatsappAtHandover(user: string, question: string): Promise<void> {
  await post("whatsapp", whatsapp(user, { type: "text", text: { body: "Hallo" } }));
  await eventually(() => whatsappTexts(graph.calls, user).includes("Worum geht es?"));
  await post("whatsapp", whatsapp(user, { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "c:rechnung", title: "Rechnung" } } }));
  await post("whatsapp", whatsapp(user, { type: "text", text: { body: question } }));
}

async function openInbox(page: Page, locale: "de" | "en"): Promise<void> {
  await signIn(page, server, agent, locale);
  await page.getByTestId("nav-inbox").click();
  await page.getByTestId("inbox").waitFor();
}

/** Opens the queue entry of the given channel (there is one per channel at a time here). */
async function openEntry(page: Page, channel: string): Promise<void> {
  const entry = page.locator('[data-testid^="inbox-entry-"]').filter({ hasText: channel }).first();
  await entry.waitFor();
  await entry.click();
}

describe.skipIf(!browserAvailable)("the live chat with messenger users in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    telegram = await startFakePlatform("telegram");
    graph = await startFakePlatform("graph");
    clock = createFakeClock();
    const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-messenger-chat-"));
    server = await startServer(flowsDir, await buildEditor(), { clock, messengers: { telegramBase: telegram.base, telegramFlow: "helpdesk", graphBase: graph.base, graphFlow: "helpdesk" } });
    await server.catalog.publish("helpdesk", helpdeskFlow);
    agent = await server.member(["agent"], "anna.agentin@muster.example");
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await telegram?.close();
    await graph?.close();
  });

  it("takes a Telegram user through claim, replies both ways and hand-back (German)", async () => {
    const chat = 555_000_111;
    await post("telegram", telegramText(chat, "/start"));
    await post("telegram", telegramPress(chat, "rechnung"));
    await post("telegram", telegramText(chat, "Meine Rechnung vom März ist doppelt abgebucht."));
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "de-DE" })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await openInbox(page, "de");
    await openEntry(page, "Telegram");
    await page.getByTestId("inbox-claim").click();
    await page.getByTestId("inbox-release").waitFor();
    await eventually(() => telegramTexts(telegram.calls, chat).includes("Jemand aus unserem Team ist jetzt für Sie da."));
    await page.getByTestId("inbox-reply").fill("Guten Tag! Ich sehe mir die Abbuchung gleich an.");
    await page.getByTestId("inbox-send").click();
    await eventually(() => telegramTexts(telegram.calls, chat).includes("Guten Tag! Ich sehe mir die Abbuchung gleich an."));
    await post("telegram", telegramText(chat, "Danke, ich warte."));
    await page.getByTestId("inbox-messages").getByText("Danke, ich warte.").waitFor({ timeout: 10_000 });
    // Telegram has no reply window: nothing about one is shown.
    expect(await page.getByTestId("inbox-window").count()).toBe(0);
    await shot(page, "inbox-telegram-de");

    await page.getByTestId("inbox-release").click();
    await page.getByTestId("inbox-ended").waitFor();
    await eventually(() => telegramTexts(telegram.calls, chat).includes("Wieder beim Bot. Noch etwas?"));
    expect(errors).toEqual([]);
  }, 120_000);

  it("shows a WhatsApp conversation's reply window, refuses a reply after it and says why (German)", async () => {
    const user = "4915112340001";
    await whatsappAtHandover(user, "Warum wurde meine Rechnung zweimal abgebucht?");
    // The agent comes back the next day, ten minutes before the 24 hours are over.
    clock.advance(23 * hour + 50 * 60_000);
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "de-DE" })).newPage();
    await openInbox(page, "de");
    await openEntry(page, "WhatsApp");
    await page.getByTestId("inbox-claim").click();
    await page.getByTestId("inbox-release").waitFor();
    // Yesterday's message with its day, and the wait in hours.
    expect(await page.getByTestId("inbox-messages").locator("time").first().textContent()).toMatch(/^\d\d\.\d\d\. \d\d:\d\d$/);
    expect(await page.locator('[data-testid^="inbox-entry-"]').filter({ hasText: "WhatsApp" }).textContent()).toContain("seit 23 Std.");
    const open = await page.getByTestId("inbox-window").textContent();
    expect(open).toMatch(/^Antwortfenster endet am \d\d\.\d\d\.\d{4} um \d\d:\d\d Uhr: Bis dahin stellt WhatsApp Antworten zu\.$/);
    await page.getByTestId("inbox-reply").fill("Entschuldigung für die Wartezeit, ich prüfe das sofort.");
    await page.getByTestId("inbox-send").click();
    await eventually(() => whatsappTexts(graph.calls, user).includes("Entschuldigung für die Wartezeit, ich prüfe das sofort."));
    await shot(page, "inbox-whatsapp-window-de");

    // A quarter of an hour later the window has closed: the platform would not deliver a reply.
    clock.advance(15 * 60_000);
    const sent = graph.calls.length;
    await page.getByTestId("inbox-reply").fill("Die doppelte Abbuchung wird erstattet.");
    await page.getByTestId("inbox-send").click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Ihre Antwort wurde nicht gesendet: Das Antwortfenster von WhatsApp ist geschlossen.");
    // The view follows the server's clock at once: the window shows closed and the reply box is gone.
    await expect.poll(() => page.getByTestId("inbox-window").textContent()).toMatch(/^Antwortfenster am .* geschlossen/);
    expect(await page.getByTestId("inbox-reply").count()).toBe(0);
    await shot(page, "inbox-whatsapp-refused-de");
    expect(graph.calls.length).toBe(sent);
    await page.reload();
    await page.getByTestId("inbox").waitFor();
    await openEntry(page, "WhatsApp");
    await page.getByTestId("inbox-window").waitFor();
    expect(await page.getByTestId("inbox-window").textContent()).toMatch(/^Antwortfenster am .* geschlossen: WhatsApp stellt erst wieder Antworten zu, wenn die Person erneut schreibt\.$/);
    expect(await page.getByTestId("inbox-reply").count()).toBe(0);
    await shot(page, "inbox-whatsapp-closed-de");
    await page.getByTestId("inbox-close").click();
    await page.getByTestId("inbox-ended").waitFor();
  }, 120_000);

  it("shows the reply window and the refusal in English", async () => {
    const user = "4915112340002";
    await whatsappAtHandover(user, "Können Sie mir die Rechnung noch einmal schicken?");
    clock.advance(23 * hour + 45 * 60_000);
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "en-GB" })).newPage();
    await openInbox(page, "en");
    await openEntry(page, "WhatsApp");
    expect(await page.locator('[data-testid^="inbox-entry-"]').filter({ hasText: "WhatsApp" }).textContent()).toContain("23 h ago");
    await page.getByTestId("inbox-claim").click();
    await page.getByTestId("inbox-release").waitFor();
    await page.getByTestId("inbox-reply").fill("Of course, it is on its way.");
    await page.getByTestId("inbox-send").click();
    await eventually(() => whatsappTexts(graph.calls, user).includes("Of course, it is on its way."));
    expect(await page.getByTestId("inbox-window").textContent()).toMatch(/^Reply window ends on \d{1,2} \w{3} \d{4} at \d\d:\d\d: until then WhatsApp delivers replies\.$/);
    await shot(page, "inbox-whatsapp-window-en");
    clock.advance(16 * 60_000);
    await page.getByTestId("inbox-reply").fill("Anything else I can do?");
    await page.getByTestId("inbox-send").click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toBe("Your reply was not sent: WhatsApp's reply window has closed.");
    await expect.poll(() => page.getByTestId("inbox-window").textContent()).toMatch(/^Reply window closed on .*: WhatsApp delivers replies again only once the visitor writes\.$/);
    await shot(page, "inbox-whatsapp-refused-en");
    await page.getByTestId("inbox-close").click();
    await page.getByTestId("inbox-ended").waitFor();
  }, 120_000);
});
