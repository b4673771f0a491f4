/**
 * The canvas reads right: after "Aufräumen" every edge has an arrowhead, leaves from its own
 * handle and crosses no box on its way; fitted to the screen, the support example's boxes are
 * readable; the problems panel folds away and never takes more than a third of the height.
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
let flowsDir: string;
let editor: TestMember;
/** Edges (by id) whose drawn path runs through a box other than its own two. */
function edgesThroughBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll<HTMLElement>(".react-flow__node")).map((element) => {
      const match = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(element.style.transform);
      const x = Number(match?.[1] ?? 0);
      const y = Number(match?.[2] ?? 0);
      return { id: element.dataset.id ?? "", left: x + 4, top: y + 8, right: x + element.offsetWidth - 4, bottom: y + element.offsetHeight - 8 };
    });
    const crossing: string[] = [];
    for (const edge of Array.from(document.querySelectorAll<SVGGElement>(".react-flow__edge"))) {
      const path = edge.querySelector<SVGPathElement>(".react-flow__edge-path");
      const id = edge.dataset.id ?? "";
      const [source] = id.split("/");
      const target = edge.getAttribute("aria-label")?.split(" → ")[1];
      if (!path) continue;
      const length = path.getTotalLength();
      for (let at = 0; at <= length; at += 4) {
        const point = path.getPointAtLength(at);
        const hit = boxes.find((box) => point.x > box.left && point.x < box.right && point.y > box.top && point.y < box.bottom);
        if (hit && hit.id !== source && hit.id !== target) {
          crossing.push(`${id} through ${hit.id}`);
          break;
        }
      }
    }
    return crossing;
  });
}

describe.skipIf(!browserAvailable)("the canvas", () => {
  beforeAll(async () => {
    flowsDir = mkdtempSync(join(tmpdir(), "botschaft-e2e-canvas-"));
    const support = readFileSync(new URL("../../examples/support-faq.yaml", import.meta.url), "utf8");
    writeFileSync(join(flowsDir, "support.yaml"), support.replace(/^flow: support-faq/m, "flow: support"));
    for (const name of readdirFaq()) writeFileSync(join(flowsDir, name), readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8"));
    suite = await startEditorSuite(flowsDir);
    ({ server, browser } = suite);
    editor = await server.member(["editor"]);
  }, 120_000);

  afterAll(() => suite?.close());

  it("draws arrowheads, routes edges around the boxes after tidying up, and stays readable fitted to the screen", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    await signIn(page, server, editor, "de");
    await page.getByTestId("open-support").click();
    await page.locator('.react-flow__node[data-id="welcome"]').waitFor();
    await page.getByTestId("auto-layout").click();
    // The layout has landed when the routes are drawn (straight segments, no curves).
    await expect.poll(() => page.evaluate(() => Array.from(document.querySelectorAll(".react-flow__edge-path")).filter((path) => !/C/.test(path.getAttribute("d") ?? "")).length), { timeout: 10_000 }).toBeGreaterThan(10);
    await page.getByRole("button", { name: "Ganzen Ablauf zeigen" }).click();
    await page.waitForTimeout(600);
    const edges = await page.locator(".react-flow__edge-path").count();
    expect(edges).toBeGreaterThan(10);
    expect(await page.locator(".react-flow__edge-path[marker-end]").count()).toBe(edges);
    const curved = await page.evaluate(() => Array.from(document.querySelectorAll(".react-flow__edge-path")).filter((path) => /C/.test(path.getAttribute("d") ?? "")).map((path) => path.closest(".react-flow__edge")?.getAttribute("data-id")));
    expect(curved).toEqual([]);
    expect(await edgesThroughBoxes(page)).toEqual([]);
    // Fitted to the screen, the boxes' words are at least 9 px tall on screen.
    const smallest = await page.evaluate(() => {
      const zoom = Number(/scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>(".react-flow__viewport")?.style.transform ?? "")?.[1] ?? 1);
      const far = document.querySelector<HTMLElement>(".flow-node-far");
      const size = far ? Number.parseFloat(getComputedStyle(far).fontSize) : Number.parseFloat(getComputedStyle(document.querySelector(".flow-node-text") as Element).fontSize);
      return size * zoom;
    });
    expect(smallest).toBeGreaterThanOrEqual(9);
    await shot(page, "after-support-tidied-de");

    // The problems panel folds away and never takes more than a third of the height.
    const panel = await page.getByTestId("problems").boundingBox();
    expect(panel?.height ?? 0).toBeLessThanOrEqual(768 / 3 + 1);
    const canvasBefore = (await page.getByTestId("canvas").boundingBox())?.height ?? 0;
    await page.getByTestId("problems-toggle").click();
    await expect.poll(async () => (await page.getByTestId("canvas").boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(canvasBefore);
    await page.close();
  }, 90_000);
});

function readdirFaq(): string[] {
  return ["velo-service.faq.yaml"].filter((name) => {
    try {
      readFileSync(new URL(`../../examples/${name}`, import.meta.url));
      return true;
    } catch {
      return false;
    }
  });
}
