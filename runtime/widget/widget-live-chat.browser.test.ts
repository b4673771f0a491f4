/**
 * The widget on a page of another origin than the runtime reaches a handover and follows the live
 * chat's event stream there: the agent's replies arrive (as text, HTML shown as typed), what the
 * visitor writes reaches the agent, and after the hand-back the bot's next question comes through
 * the stream too. No cookies, the token in the Authorization header, past the CORS preflight.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAdminToken } from "../testing/create-test-runtime.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { launchChromium, skipBrowserTests } from "../testing/widget-browser-support.ts";
import { startWidgetRig, type WidgetRig } from "../testing/widget-test-rig.ts";
import { buildWidget } from "./build-widget.ts";

const widget = "[data-botschaft-widget]";
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
    rig = await startWidgetRig({ assets, flows: [{ id: "helpdesk", yaml: helpdeskFlow }] });
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
});
