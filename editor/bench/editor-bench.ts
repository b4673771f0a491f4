/**
 * Editor benchmark (`npm run bench:editor`): a generated 1,000-node flow in headless Chromium.
 * Prints the time from "open" to an interactive canvas, the re-validation time per edit
 * (measured in the page around the validator, on the in-memory document), edit-to-frame
 * latency, frame times while dragging a node, and the bundle size (raw and gzip).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { generateFlow } from "../../runtime/core/bench/generate-flow.ts";
import { buildEditor, launchChromium, signIn, startServer } from "../e2e/harness.ts";

const nodeCount = 1000;
const openRuns = 5;
const edits = 30;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

const nextFrame = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

async function main(): Promise<void> {
  const dist = await buildEditor();
  const assets = join(dist, "assets");
  console.log("Bundle (editor/dist/assets):");
  for (const name of readdirSync(assets).sort()) {
    const raw = readFileSync(join(assets, name));
    const lazy = name.startsWith("elk") ? " (loaded only for auto-layout)" : name.startsWith("YamlEditor") ? " (loaded with the YAML tab)" : "";
    console.log(`  ${name.replace(/-[\w-]{8}\./, ".")}: ${kib(statSync(join(assets, name)).size)} raw, ${kib(gzipSync(raw).length)} gzip${lazy}`);
  }

  const generated = generateFlow(nodeCount);
  const flowsDir = mkdtempSync(join(tmpdir(), "botschaft-editor-bench-"));
  writeFileSync(join(flowsDir, `${generated.id}.yaml`), generated.yaml);
  const server = await startServer(flowsDir, dist);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "de-DE" });
    await signIn(page, server, await server.member(["editor"]));

    const openTimes: number[] = [];
    for (let run = 0; run < openRuns; run++) {
      await page.getByTestId(`open-${generated.id}`).waitFor();
      const started = performance.now();
      await page.getByTestId(`open-${generated.id}`).click();
      await page.locator(".react-flow__node").first().waitFor();
      await page.getByTestId("problems").waitFor();
      await nextFrame(page);
      openTimes.push(performance.now() - started);
      if (run < openRuns - 1) await page.getByRole("button", { name: "Alle Abläufe" }).click();
    }
    console.log(`\n${nodeCount}-node flow (${(generated.yaml.length / 1024).toFixed(0)} KiB YAML):`);
    console.log(`  open → interactive canvas: median ${ms(quantile(openTimes, 0.5))}, max ${ms(Math.max(...openTimes))} (${openRuns} runs; fetch, parse, validate, render)`);
    const opening = await page.evaluate(() => (globalThis as { __botschaftEditorMetrics?: { fetchMs: number[]; parseMs: number[]; validateMs: number[] } }).__botschaftEditorMetrics);
    if (opening) {
      console.log(`    of which: fetch median ${ms(quantile(opening.fetchMs, 0.5))}, YAML parse median ${ms(quantile(opening.parseMs, 0.5))}, first validation ${ms(opening.validateMs[0] ?? Number.NaN)} (includes compiling the schemas)`);
    }

    // Edits: type into a text field; every keystroke is one document edit and one re-validation.
    const first = page.locator(".react-flow__node .flow-node-text").first();
    await first.click();
    await page.getByTestId("field-text").waitFor();
    await page.evaluate(() => {
      const metrics = (globalThis as { __botschaftEditorMetrics?: { validateMs: number[]; valueMs: number[] } }).__botschaftEditorMetrics;
      if (metrics) {
        metrics.validateMs.length = 0;
        metrics.valueMs.length = 0;
      }
    });
    await page.getByTestId("field-text").focus();
    await page.keyboard.press("End");
    const editLatencies: number[] = [];
    for (let index = 0; index < edits; index++) {
      const started = performance.now();
      await page.keyboard.type("x");
      await nextFrame(page);
      editLatencies.push(performance.now() - started);
    }
    // The same round trips without a keystroke: what the browser automation itself costs.
    const idle: number[] = [];
    for (let index = 0; index < edits; index++) {
      const started = performance.now();
      await page.evaluate(() => document.activeElement?.tagName);
      await nextFrame(page);
      idle.push(performance.now() - started);
    }
    const metrics = await page.evaluate(() => (globalThis as { __botschaftEditorMetrics?: { validateMs: number[]; valueMs: number[] } }).__botschaftEditorMetrics);
    if (!metrics || metrics.validateMs.length === 0) throw new Error("the page recorded no validation timings");
    const total = metrics.validateMs.map((value, index) => value + (metrics.valueMs[index] ?? 0));
    console.log(`  re-validation per edit (checkFlowValue on the in-memory value): median ${ms(quantile(metrics.validateMs, 0.5))}, p95 ${ms(quantile(metrics.validateMs, 0.95))}`);
    console.log(`  document → value (toJS) per edit: median ${ms(quantile(metrics.valueMs, 0.5))}, p95 ${ms(quantile(metrics.valueMs, 0.95))}`);
    console.log(`  both together: median ${ms(quantile(total, 0.5))}, p95 ${ms(quantile(total, 0.95))} (budget: 16 ms, one frame)`);
    console.log(`  keystroke → next frame (document copy, history, validation, canvas and form update): median ${ms(quantile(editLatencies, 0.5))}, p95 ${ms(quantile(editLatencies, 0.95))}`);
    console.log(`    the automation's own round trips without a keystroke: median ${ms(quantile(idle, 0.5))}`);

    // Drag a node for 90 pointer moves and record the page's frame deltas meanwhile.
    await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
    const node = page.locator(".react-flow__node .flow-node-text").nth(1);
    const box = await node.boundingBox();
    if (!box) throw new Error("no node to drag");
    // A string, not a function: the TypeScript loader would wrap named closures in a helper the page lacks.
    await page.evaluate(`(() => {
      const state = { deltas: [], running: true, last: performance.now() };
      globalThis.__frames = state;
      const tick = (now) => {
        state.deltas.push(now - state.last);
        state.last = now;
        if (state.running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 90; step++) await page.mouse.move(box.x + box.width / 2 + step * 3, box.y + box.height / 2 + step * 2);
    await page.mouse.up();
    const deltas = await page.evaluate(() => {
      const state = (globalThis as { __frames?: { deltas: number[]; running: boolean } }).__frames;
      if (!state) return [];
      state.running = false;
      return state.deltas.slice(1);
    });
    console.log(`  drag: ${deltas.length} frames, frame time median ${ms(quantile(deltas, 0.5))}, p95 ${ms(quantile(deltas, 0.95))}, max ${ms(Math.max(...deltas))}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
