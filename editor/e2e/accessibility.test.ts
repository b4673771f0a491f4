/**
 * The editor for everyone: axe-core finds nothing serious or critical on the flow list, the
 * canvas with a selected step, the YAML tab, the preview and the history; and the main tasks work
 * by keyboard alone: create a flow, add a step, connect it, publish.
 */
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { browserAvailable, type EditorSuite, type RunningServer, screenshotDir, signIn, startEditorSuite } from "./harness.ts";

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let flowsDir: string;
let editor: TestMember;

async function seriousViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const source = await readFile(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")), "utf8");
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
}

/** Presses Tab until the element with this test id has the focus (at most `limit` times). */
async function tabTo(page: Page, testId: string, limit = 80): Promise<void> {
  for (let press = 0; press < limit; press++) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))) === testId) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${testId}`);
}

describe.skipIf(!browserAvailable)("the editor's accessibility", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-a11y-"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("creates, adds a step, connects and publishes by keyboard, with no serious axe findings on the way", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    await signIn(page, server, editor, "de");
    await page.getByTestId("new-flow-name").waitFor();
    expect({ screen: "list", violations: await seriousViolations(page) }).toEqual({ screen: "list", violations: [] });

    // Create: type the name, Enter submits.
    await page.getByTestId("new-flow-name").focus();
    await page.keyboard.type("Rückruf");
    await page.keyboard.press("Enter");
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();

    // Privacy settings by keyboard (Tab moves from field to field).
    await page.getByTestId("controller-name").focus();
    for (const value of ["Muster GmbH", "Musterstraße 1, 10115 Berlin", "datenschutz@muster.example"]) {
      await page.keyboard.type(value);
      await page.keyboard.press("Tab");
    }
    await tabTo(page, "policy-url");
    await page.keyboard.type("https://muster.example/datenschutz");
    await tabTo(page, "imprint-url");
    await page.keyboard.type("https://muster.example/impressum");

    // Add a step: the palette entries are buttons; Enter places the step in view and opens it.
    await page.getByTestId("palette-end").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("end-1");
    await page.getByTestId("field-text").focus();
    await page.keyboard.type("Bis bald!");

    // Connect: open the greeting (a step on the canvas takes the focus and Enter selects it), choose "Weiter zu".
    await page.locator('.react-flow__node[data-id="welcome"]').focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("node-id").inputValue()).toBe("welcome");
    await page.getByTestId("field-next").focus();
    await page.keyboard.press("End");
    await expect.poll(() => page.getByTestId("field-next").inputValue()).toBe("end-1");
    await expect.poll(() => page.locator('.react-flow__edge[data-id="welcome/next"]').count()).toBe(1);
    expect({ screen: "canvas with a selected step", violations: await seriousViolations(page) }).toEqual({ screen: "canvas with a selected step", violations: [] });

    // Publish: the toolbar button, by keyboard.
    await page.getByTestId("publish").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/Als Version [0-9a-f]{8} veröffentlicht\./);
    expect(readFileSync(join(flowsDir, "rueckruf.yaml"), "utf8")).toContain("next: end-1");

    for (const tab of ["yaml", "preview", "history"] as const) {
      await page.getByTestId(`tab-${tab}`).focus();
      await page.keyboard.press("Enter");
      if (tab === "yaml") await page.locator(".cm-content").waitFor();
      if (tab === "preview") await page.getByTestId("preview-widget").getByText("Hallo! Wie kann ich helfen?").waitFor();
      if (tab === "history") await page.getByTestId("history-entry").first().waitFor();
      expect({ screen: tab, violations: await seriousViolations(page) }).toEqual({ screen: tab, violations: [] });
    }
    mkdirSync(screenshotDir, { recursive: true });
    await page.close();
  }, 120_000);
});
