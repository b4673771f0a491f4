/**
 * The widget on a page of another origin than the runtime reaches a handover and follows the live
 * chat's event stream there: the agent's replies arrive (as text, HTML shown as typed), what the
 * visitor writes reaches the agent, and after the hand-back the bot's next question comes through
 * the stream too. No cookies, the token in the Authorization header, past the CORS preflight.
 * A remembered chat reloaded during the live chat follows the stream again, from after the last
 * message it shows: what the agent wrote while the page reloaded arrives once, and so does what
 * the agent writes next.
 */
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAdminToken } from "../testing/create-test-runtime.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { launchChromium, skipBrowserTests } from "../testing/widget-browser-support.ts";
import { startWidgetRig, type WidgetRig } from "../testing/widget-test-rig.ts";
import { buildWidget } from "./build-widget.ts";

const widget = "[data-botschaft-widget]";
const scratch = fileURLToPath(new URL("../../scratch/", import.meta.url));
/** The helpdesk flow in English, for the English screen. */
const helpdeskFlowEnglish = helpdeskFlow
  .replace("flow: helpdesk", "flow: helpdesk-en")
  .replace("language: de", "language: en")
  .replace("Worum geht es?", "What is it about?")
  .replace("label: Rechnung", "label: Invoice")
  .replace("Ich verbinde Sie mit unserem Team.", "Connecting you to our team.")
  .replace("Gerade ist niemand da.", "Nobody is here right now.")
  .replace("Wieder beim Bot. Noch etwas?", "Back with the bot. Anything else?")
  .replace("label: Nein", "label: No")
  .replace("Tschüss!", "Goodbye!");
let browser: Browser;
let rig: WidgetRig;

async function asAdmin(path: string, body?: unknown): Promise<Response> {
  return fetch(`${rig.runtimeOrigin}/api/v1${path}`, {
    method: body === undefined && !path.endsWith("/claim") && !path.endsWith("/release") ? "GET" : "POST",
    headers: { authorization: `Bearer ${testAdminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe.skipIf(skipBrowserTests)("the widget in a live chat, across origins", () => {
  beforeAll(async () => {
    const [assets, launched] = await Promise.all([buildWidget(), launchChromium()]);
    browser = launched;
    rig = await startWidgetRig({ assets, flows: [{ id: "helpdesk", yaml: helpdeskFlow }, { id: "helpdesk-en", yaml: helpdeskFlowEnglish }] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it("shows the agent's replies from the stream, sends the visitor's, and goes on with the bot after the hand-back", async () => {
    const page = await (await browser.newContext({ locale: "de-DE" })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(rig.hostPage({}, "helpdesk"));
    expect(new URL(page.url()).origin).not.toBe(rig.runtimeOrigin);
    await page.getByRole("button", { name: "Chat starten" }).click();
    await page.locator(`${widget} button.option:enabled`, { hasText: "Rechnung" }).click();
    await page.locator(`${widget} .bot`).filter({ hasText: "Ich verbinde Sie mit unserem Team." }).waitFor();

    const queue = (await (await asAdmin("/inbox")).json()) as { conversations: { id: string }[] };
    const id = queue.conversations[0]?.id as string;
    expect((await asAdmin(`/inbox/${id}/claim`)).status).toBe(200);
    await page.locator(`${widget} .bot`).filter({ hasText: "Jemand aus unserem Team ist jetzt für Sie da." }).waitFor();
    expect((await asAdmin(`/inbox/${id}/messages`, { text: "<img src=x onerror=alert(1)> Hallo!" })).status).toBe(201);
    await page.locator(`${widget} .bot`).filter({ hasText: "<img src=x onerror=alert(1)> Hallo!" }).waitFor();
    expect(await page.locator(`${widget} .bot img`).count()).toBe(0);

    // The answer to the visitor's message is held back until the hand-back's question has come
    // on the stream: a late, empty answer must not disable the options that came meanwhile.
    let letAnswerThrough = () => {};
    const answerHeld = new Promise<void>((resolve) => {
      letAnswerThrough = resolve;
    });
    await page.route(/\/conversations\/[^/]+\/messages$/, async (route) => {
      const response = await route.fetch();
      await answerHeld;
      await route.fulfill({ response });
    });
    await page.locator(`${widget} #answer`).fill("Danke, ich habe eine Frage zur Rechnung.");
    await page.locator(`${widget} #answer`).press("Enter");
    await expect
      .poll(async () => ((await (await asAdmin(`/inbox/${id}?after=0`)).json()) as { messages: { message: { text?: string } }[] }).messages.map((entry) => entry.message.text))
      .toContain("Danke, ich habe eine Frage zur Rechnung.");

    expect((await asAdmin(`/inbox/${id}/release`)).status).toBe(204);
    await page.locator(`${widget} button.option`, { hasText: "Nein" }).waitFor();
    const answered = page.waitForResponse(/\/conversations\/[^/]+\/messages$/);
    letAnswerThrough();
    await answered;
    await page.unroute(/\/conversations\/[^/]+\/messages$/);
    await page.locator(`${widget} button.option:enabled`, { hasText: "Nein" }).click();
    await page.locator(`${widget} .bot`).filter({ hasText: "Tschüss!" }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it.each([
    {
      lang: "de",
      flow: "helpdesk",
      texts: { launcher: "Chat starten", remember: "Diesen Chat auf diesem Gerät merken", topic: "Rechnung", waiting: "Ich verbinde Sie mit unserem Team.", joined: "Jemand aus unserem Team ist jetzt für Sie da.", no: "Nein" },
      said: ["Vor dem Neuladen.", "Während Sie neu geladen haben.", "Noch vor dem Öffnen.", "Nach dem Neuladen."],
      answer: "Danke für die Geduld.",
    },
    {
      lang: "en",
      flow: "helpdesk-en",
      texts: { launcher: "Start chat", remember: "Remember this chat on this device", topic: "Invoice", waiting: "Connecting you to our team.", joined: "A member of our team is with you now.", no: "No" },
      said: ["Before the reload.", "While you were reloading.", "Still before you opened it.", "After the reload."],
      answer: "Thanks for waiting.",
    },
  ])("follows the live chat again after a reload of a remembered chat, nothing lost, nothing twice ($lang)", async ({ lang, flow, texts, said, answer }) => {
    const context = await browser.newContext({ locale: lang === "de" ? "de-DE" : "en-GB" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(rig.hostPage({ lang }, flow));
    await page.getByRole("button", { name: texts.launcher }).click();
    await page.getByLabel(texts.remember).check();
    await page.locator(`${widget} button.option:enabled`, { hasText: texts.topic }).click();
    await page.locator(`${widget} .bot`).filter({ hasText: texts.waiting }).waitFor();
    const key = `botschaft:${flow}`;
    const saved = () => page.evaluate((name) => JSON.parse(localStorage.getItem(name) ?? "{}") as { id?: string; liveAfter?: number }, key);
    await expect.poll(async () => (await saved()).liveAfter).toBe(0);
    const id = (await saved()).id as string;
    const [before, during, unopened, after] = said as [string, string, string, string];

    expect((await asAdmin(`/inbox/${id}/claim`)).status).toBe(200);
    expect((await asAdmin(`/inbox/${id}/messages`, { text: before })).status).toBe(201);
    await page.locator(`${widget} .bot`).filter({ hasText: before }).waitFor();
    // The entry knows the number of the last live message shown (1: the "joined" note, 2: the reply).
    await expect.poll(async () => (await saved()).liveAfter).toBe(2);

    // Written while the page reloads, and after it, before the visitor opens the chat again.
    const reloaded = page.reload();
    expect((await asAdmin(`/inbox/${id}/messages`, { text: during })).status).toBe(201);
    await reloaded;
    expect((await asAdmin(`/inbox/${id}/messages`, { text: unopened })).status).toBe(201);
    // The old page may still have seen the message written during the reload; either way the
    // stream resumes after the last one the remembered chat shows.
    const shownBefore = (await saved()).liveAfter as number;
    expect([2, 3]).toContain(shownBefore);
    const streamed = page.waitForRequest((request) => request.url().includes(`/conversations/${id}/events?after=${shownBefore}`));
    await page.getByRole("button", { name: texts.launcher }).click();
    await streamed;
    await page.locator(`${widget} .bot`).filter({ hasText: unopened }).waitFor();
    await page.locator(`${widget} .bot`).filter({ hasText: during }).waitFor();
    expect((await asAdmin(`/inbox/${id}/messages`, { text: after })).status).toBe(201);
    await page.locator(`${widget} .bot`).filter({ hasText: after }).waitFor();

    const shown = await page.locator(`${widget} .bot`).allInnerTexts();
    for (const text of [texts.waiting, texts.joined, ...said]) {
      expect(shown.filter((bubble) => bubble.includes(text)), text).toHaveLength(1);
    }
    const order = said.map((text) => shown.findIndex((bubble) => bubble.includes(text)));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // The visitor's next message still reaches the agent, and the hand-back reaches the visitor.
    await page.locator(`${widget} #answer`).fill(answer);
    await page.locator(`${widget} #answer`).press("Enter");
    await expect
      .poll(async () => ((await (await asAdmin(`/inbox/${id}?after=0`)).json()) as { messages: { message: { text?: string } }[] }).messages.map((entry) => entry.message.text))
      .toContain(answer);
    await page.screenshot({ path: `${scratch}widget-after-reload-${lang}.png` });
    expect((await asAdmin(`/inbox/${id}/release`)).status).toBe(204);
    await page.locator(`${widget} button.option:enabled`, { hasText: texts.no }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
