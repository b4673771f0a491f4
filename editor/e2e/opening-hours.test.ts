/**
 * When nobody answers, edited in forms (docs/inbox.md#when-nobody-answers): an editor sets the
 * flow's opening hours in the flow settings (time zone, times per weekday added and removed, a
 * mistake explained and fixed, closed days) and the handover step's targets for "no agent" (drawn
 * on the canvas) and "nobody took it" with its minutes, and ticks "show the conversation so far"
 * (history); the saved YAML says exactly that. German
 * and English; screenshots of both forms go to scratch/editor-screenshots.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, connect, type EditorSuite, expectOneLanguage, type RunningServer, screenshotDir, signIn, startEditorSuite } from "./harness.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir: string;
let editor: TestMember;

const flowText = (id: string) => `flow: ${id}
title: Hilfe
language: de
privacy:
  controller: { name: Muster GmbH, address: "Musterstraße 1, 10115 Berlin", email: datenschutz@muster.example }
  policyUrl: https://muster.example/datenschutz
  imprintUrl: https://muster.example/impressum
start: human
nodes:
  human:
    type: handover
    text: Ich verbinde Sie mit unserem Team.
    next: back
  closed:
    type: end
    text: Gerade ist niemand da. Schreiben Sie uns an hilfe@muster.example.
  back:
    type: end
    text: Tschüss!
layout:
  human: { x: 0, y: 0 }
  closed: { x: -200, y: 220 }
  back: { x: 200, y: 220 }
`;

/** The side panel, scrolled to the form, on a page tall enough to show all of it. */
async function formShot(page: Page, testId: string, name: string): Promise<void> {
  await page.getByTestId(testId).evaluate((element) => element.scrollIntoView({ block: "start" }));
  await page.locator(".side-panel").screenshot({ path: join(screenshotDir, `${name}.png`) });
  await expectOneLanguage(page, name);
}

/** axe-core's serious and critical findings in the side panel (the forms under test). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(await readFile(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")), "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const panel = document.querySelector(".side-panel") as Element;
    const result = await axe.run(panel, { resultTypes: ["violations"] });
    return result.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => `${violation.id} ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
  });
  return violations;
}

const words = {
  de: { endBeforeStart: "Das Ende muss nach dem Beginn liegen", closed: "geschlossen", saved: "Gespeichert.", legend: "Öffnungszeiten des Live-Chats", noAgent: "niemand da" },
  en: { endBeforeStart: "The end must be after the start", closed: "closed", saved: "Saved.", legend: "Opening hours of the live chat", noAgent: "no agent" },
} as const;

describe.skipIf(!browserAvailable)("opening hours and the handover's targets in forms", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-opening-"));
    writeFileSync(join(flowsDir, "hilfe-de.yaml"), flowText("hilfe-de"));
    writeFileSync(join(flowsDir, "hilfe-en.yaml"), flowText("hilfe-en"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it.each(["de", "en"] as const)("sets opening hours and a handover's noAgent target through the UI, and saves them to the YAML (%s)", async (lang) => {
    const id = `hilfe-${lang}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1500 }, locale: lang === "de" ? "de-DE" : "en-GB" });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, server, editor, lang);
    await page.getByTestId(`open-${id}`).click();
    await page.locator('.react-flow__node[data-id="human"]').waitFor();

    // Nothing selected: the flow settings, with opening hours to switch on.
    const hours = page.getByTestId("opening-hours");
    await expect.poll(() => hours.locator("legend").textContent()).toBe(words[lang].legend);
    await page.getByTestId("opening-hours-add").click();
    await expect.poll(() => page.getByTestId("opening-timezone").inputValue()).toBe("Europe/Berlin");
    await page.getByTestId("opening-timezone").selectOption("Europe/Vienna");
    await page.getByTestId("opening-timezone").selectOption("Europe/Berlin");

    // Monday: morning and afternoon.
    await page.getByTestId("opening-mon-0-to").fill("12:30");
    await page.getByTestId("opening-mon-add").click();
    await page.getByTestId("opening-mon-1-from").fill("13:30");
    await page.getByTestId("opening-mon-1-to").fill("18:00");
    // Tuesday: a slip (the end before the start) is explained, then fixed.
    await page.getByTestId("opening-tue-0-to").fill("08:00");
    await expect.poll(() => page.getByTestId("opening-tue-0").getByTestId("field-error").textContent()).toContain(words[lang].endBeforeStart);
    await formShot(page, "opening-hours", `opening-hours-mistake-${lang}`);
    await page.getByTestId("opening-tue-0-to").fill("17:00");
    await expect.poll(() => page.getByTestId("opening-tue-0").getByTestId("field-error").count()).toBe(0);
    // Friday closed, Saturday morning until midnight's opposite: 10 to 14.
    await page.getByTestId("opening-fri-0-remove").click();
    await expect.poll(() => page.getByTestId("opening-fri").textContent()).toContain(words[lang].closed);
    await page.getByTestId("opening-sat-add").click();
    await page.getByTestId("opening-sat-0-from").fill("10:00");
    await page.getByTestId("opening-sat-0-to").fill("14:00");
    // Closed days, typed out of order.
    await page.getByTestId("closed-add").click();
    await page.getByTestId("closed-new-date").fill("2026-12-25");
    await page.getByTestId("closed-add").click();
    await page.getByTestId("closed-new-date").fill("2026-12-24");
    await expect.poll(() => page.getByTestId("closed-1-date").inputValue()).toBe("2026-12-25");
    await formShot(page, "opening-hours", `opening-hours-${lang}`);
    expect(await seriousViolations(page)).toEqual([]);

    // The handover step: "no agent" drawn on the canvas, "nobody took it" in the form.
    await page.locator('.react-flow__node[data-id="human"] .flow-node-text').click();
    await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("human");
    await connect(page, "human", "/noAgent", "closed");
    await expect.poll(() => page.getByTestId("field-noAgent").inputValue()).toBe("closed");
    await expect.poll(() => page.locator('.react-flow__edge[data-id="human/noAgent"]').count()).toBe(1);
    await page.getByTestId("field-unclaimedMinutes").fill("5");
    await page.getByTestId("field-unclaimed").focus();
    await page.getByTestId("field-unclaimed").selectOption("closed");
    await expect.poll(() => page.locator('.react-flow__edge[data-id="human/unclaimed"]').count()).toBe(1);
    await expect.poll(() => page.locator('.react-flow__node[data-id="human"]').textContent()).toContain(words[lang].noAgent);
    // The agent may see the conversation before the handover: a tick box, off by default.
    expect(await page.getByTestId("field-history").isChecked()).toBe(false);
    await page.getByTestId("field-history").check();
    await formShot(page, "node-form", `handover-form-${lang}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toBe(words[lang].saved);
    const saved = readFileSync(join(flowsDir, `${id}.yaml`), "utf8");
    const value = parse(saved) as { openingHours: unknown; nodes: Record<string, unknown> };
    expect(value.openingHours).toEqual({
      timezone: "Europe/Berlin",
      mon: ["09:00-12:30", "13:30-18:00"],
      tue: ["09:00-17:00"],
      wed: ["09:00-17:00"],
      thu: ["09:00-17:00"],
      sat: ["10:00-14:00"],
      closed: ["2026-12-24", "2026-12-25"],
    });
    expect(value.nodes.human).toEqual({ type: "handover", text: "Ich verbinde Sie mit unserem Team.", next: "back", history: true, noAgent: "closed", unclaimedMinutes: 5, unclaimed: "closed" });
    // Beside the other settings, before the steps; each day on one line.
    expect(saved.indexOf("openingHours:")).toBeLessThan(saved.indexOf("start: human"));
    expect(saved).toContain('  mon: [ "09:00-12:30", "13:30-18:00" ]\n');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
