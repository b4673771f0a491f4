/**
 * The team in Chromium, with four-eyes publishing on: an editor signs in, edits and submits a
 * flow; a data protection officer signs in, reviews the change (diff and privacy texts) and
 * approves it, after which it is live; an agent cannot open the flows; the audit trail shows all
 * of it; an administrator invites someone. German screens, as the team would use them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, type EditorSuite, type RunningServer, shot, signIn, startEditorSuite } from "./harness.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
const people: Record<"admin" | "editor" | "dpo" | "agent", TestMember> = {} as never;

async function germanPage(): Promise<Page> {
  const context = await browser.newContext({ locale: "de-DE", viewport: { width: 1366, height: 900 } });
  return context.newPage();
}

describe.skipIf(!browserAvailable)("the team side of the editor in Chromium", () => {
  beforeAll(async () => {
    const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-team-"));
    writeFileSync(join(flowsDir, "callback-request.yaml"), readFileSync(new URL("../../examples/callback-request.yaml", import.meta.url), "utf8"));
    suite = await startEditorSuite(flowsDir, { approval: "dpo" });
    ({ server, browser } = suite);
    people.admin = await server.member(["admin"], "chefin@muster.example");
    people.editor = await server.member(["editor"], "max@muster.example");
    people.dpo = await server.member(["dpo"], "dora@muster.example");
    people.agent = await server.member(["agent"], "anna@muster.example");
  }, 120_000);

  afterAll(() => suite?.close());

  it("refuses a wrong password on the sign-in page, in German", async () => {
    const page = await germanPage();
    await page.goto(`${server.url}/editor/`);
    await page.getByTestId("email").fill("max@muster.example");
    await page.getByTestId("password").fill("falsches Passwort 123");
    await page.getByTestId("sign-in").click();
    await expect.poll(() => page.getByTestId("sign-in-error").textContent()).toBe("E-Mail-Adresse oder Passwort ist falsch.");
    await shot(page, "team-01-sign-in-refused", { fullPage: true });
    await page.context().close();
  }, 60_000);

  it("lets an editor submit, a DPO review and approve, and keeps the agent out of the flows", async () => {
    const editor = await germanPage();
    await signIn(editor, server, people.editor);
    expect(await editor.getByTestId("signed-in-as").textContent()).toBe("Angemeldet als max@muster.example · Redaktion");
    expect(await editor.getByTestId("nav-audit").count()).toBe(0);
    await editor.getByTestId("open-callback-request").click();
    await editor.locator('.react-flow__node[data-id="welcome"]').waitFor();
    await editor.getByTestId("flow-title").fill("Rückruf anfordern (Herbst)");
    await editor.getByTestId("save").click();
    await expect.poll(() => editor.getByTestId("notice").textContent()).toBe("Gespeichert.");
    expect(await editor.getByTestId("publish").textContent()).toBe("Zur Freigabe einreichen");
    await editor.getByTestId("publish").click();
    await expect.poll(() => editor.getByTestId("notice").textContent()).toBe("Zur Freigabe eingereicht. Der Ablauf geht online, sobald der Datenschutz ihn freigibt.");
    await shot(editor, "team-02-editor-submitted", { fullPage: true });
    expect(await server.catalog.current("callback-request")).toBeUndefined();

    const dpo = await germanPage();
    await signIn(dpo, server, people.dpo);
    await dpo.getByTestId("nav-approvals").click();
    await dpo.getByTestId("review-callback-request").click();
    await dpo.getByTestId("review").waitFor();
    const review = (await dpo.getByTestId("review").textContent()) ?? "";
    expect(review).toContain("Rückruf anfordern (Herbst)");
    expect(review).toContain("Muster CRM GmbH");
    await shot(dpo, "team-03-dpo-review", { fullPage: true });
    await dpo.getByTestId("approve").click();
    await expect.poll(() => dpo.getByTestId("review-notice").textContent()).toBe("Freigegeben: Der Ablauf ist online.");
    expect((await server.catalog.current("callback-request"))?.yaml).toContain("Rückruf anfordern (Herbst)");
    // The DPO may look at flows, not change them.
    await dpo.getByTestId("nav-flows").click();
    await dpo.getByTestId("open-callback-request").click();
    await dpo.getByTestId("read-only").waitFor();
    expect(await dpo.getByTestId("save").count()).toBe(0);
    await shot(dpo, "team-04-dpo-read-only", { fullPage: true });

    const agent = await germanPage();
    await signIn(agent, server, people.agent);
    expect(await agent.getByTestId("nav-flows").count()).toBe(0);
    await agent.getByTestId("inbox").waitFor();
    const refused = await agent.evaluate(async () => (await fetch("/api/v1/admin/files")).status);
    expect(refused).toBe(403);
    await shot(agent, "team-05-agent", { fullPage: true });

    await dpo.getByTestId("nav-audit").click();
    await dpo.getByTestId("audit-entries").waitFor();
    const trail = (await dpo.getByTestId("audit-entries").textContent()) ?? "";
    for (const line of ["max@muster.exampleAnmeldung", "max@muster.exampleAblaufdatei gespeichert", "max@muster.exampleAblauf zur Freigabe eingereicht", "dora@muster.exampleVeröffentlichung freigegeben", "anna@muster.exampleAnmeldung"]) {
      expect(trail).toContain(line);
    }
    await shot(dpo, "team-06-audit", { fullPage: true });
    for (const page of [editor, dpo, agent]) await page.context().close();
  }, 120_000);

  it("shows the team pages in English too", async () => {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1366, height: 900 } });
    const admin = await context.newPage();
    await signIn(admin, server, people.admin);
    expect(await admin.getByTestId("signed-in-as").textContent()).toBe("Signed in as chefin@muster.example · Administration");
    const intro: Record<string, string> = { approvals: "Every publish waits here", audit: "Who did what and when", team: "Everyone who runs the bot", tokens: "For scripts and CI" };
    for (const page of ["approvals", "audit", "team", "tokens"] as const) {
      await admin.getByTestId(`nav-${page}`).click();
      await admin.getByTestId(page).waitFor();
      expect(await admin.getByTestId(page).textContent()).toContain(intro[page]);
      await shot(admin, `team-en-${page}`, { fullPage: true });
    }
    await context.close();
  }, 60_000);

  it("lets an administrator invite someone and shows the one-time link", async () => {
    const admin = await germanPage();
    await signIn(admin, server, people.admin);
    await admin.getByTestId("nav-team").click();
    await admin.getByTestId("invite-email").fill("neu@muster.example");
    await admin.getByTestId("invite-role-editor").uncheck();
    await admin.getByTestId("invite-role-agent").check();
    await admin.getByTestId("invite").click();
    await admin.getByTestId("issued-link").waitFor();
    expect(await admin.getByTestId("issued-link").textContent()).toMatch(/Einladungslink für neu@muster\.example:.*\/invite\/[A-Za-z0-9_-]{43}/);
    await admin.getByTestId("account-neu@muster.example").waitFor();
    await shot(admin, "team-07-admin-invites", { fullPage: true });
    await admin.context().close();
  }, 60_000);
});
