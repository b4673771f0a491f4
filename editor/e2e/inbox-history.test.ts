/**
 * The history before the handover in the agent's inbox (docs/inbox.md#history-before-the-handover):
 * for a handover step with `history: true` the agent sees the visitor's conversation with the bot
 * above the live chat, German and English, and keeps seeing it while new messages come in; each
 * full view is in the audit trail as live-chat.history. Screenshots in scratch/editor-screenshots.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { createFakeClock } from "../../runtime/testing/fake-clock.ts";
import { helpdeskFlow } from "../../runtime/testing/live-chat-fixtures.ts";
import { browserAvailable, buildEditor, launchChromium, type RunningServer, shot, signIn, startServer } from "./harness.ts";

const historyFlow = helpdeskFlow.replace("    shares: [thema]\n", "    shares: [thema]\n    history: true\n");

let browser: Browser;
let server: RunningServer;
let agent: TestMember;

/** A visitor over the chat API: picks the topic (the handover), then writes to the agent. */
async function visitorWrites(text: string): Promise<{ id: string; say(text: string): Promise<void> }> {
  const api = `${server.url}/api/v1/conversations`;
  const started = (await (await fetch(api, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ flow: "helpdesk" }) })).json()) as { id: string; token: string };
  const say = async (body: unknown) => {
    const response = await fetch(`${api}/${started.id}/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${started.token}` }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  };
  await say({ choice: "rechnung" });
  await say({ text });
  return { id: started.id, say: (next) => say({ text: next }) };
}

describe.skipIf(!browserAvailable)("the conversation before the handover in the inbox", () => {
  beforeAll(async () => {
    const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-inbox-history-"));
    writeFileSync(join(flowsDir, "helpdesk.yaml"), historyFlow);
    server = await startServer(flowsDir, await buildEditor(), { clock: createFakeClock({ at: "2026-03-02T09:00:00.000Z" }) });
    await server.catalog.publish("helpdesk", historyFlow);
    agent = await server.member(["agent"], "anna.agentin@muster.example");
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each([
    { lang: "de" as const, summary: "Vor der Übergabe (3 Nachrichten)" },
    { lang: "en" as const, summary: "Before the handover (3 messages)" },
  ])("shows it above the live chat and keeps it while messages come in ($lang)", async ({ lang, summary }) => {
    expect(historyFlow).toContain("history: true");
    const visitor = await visitorWrites("Meine Rechnung ist doppelt.");
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: lang === "de" ? "de-DE" : "en-GB" })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, server, agent, lang);
    await page.getByTestId("nav-inbox").click();
    await page.getByTestId(`inbox-entry-${visitor.id}`).click();
    const history = page.getByTestId("inbox-history");
    await expect.poll(() => history.locator("summary").textContent()).toBe(summary);
    const said = await history.locator(".inbox-message-text").allTextContents();
    expect(said).toEqual(["Worum geht es? [Rechnung]", "Rechnung", "Ich verbinde Sie mit unserem Team."]);
    expect(await page.getByTestId("inbox-messages").textContent()).toContain("Meine Rechnung ist doppelt.");
    expect(await page.getByTestId("inbox-messages").textContent()).not.toContain("Worum geht es?");

    // A new message arrives by the follow-up read (no history in it): the history stays.
    await visitor.say("Hallo, ist jemand da?");
    await page.getByTestId("inbox-messages").getByText("Hallo, ist jemand da?").waitFor({ timeout: 10_000 });
    expect(await history.locator(".inbox-message-text").count()).toBe(3);
    await shot(page, `inbox-history-${lang}`);

    const reads = (await server.runtime.audit.list({})).filter((entry) => entry.action === "live-chat.history" && entry.target === visitor.id);
    expect(reads.map((entry) => entry.actor)).toEqual(["anna.agentin@muster.example"]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
