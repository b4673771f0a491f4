/**
 * Developers review flows as git diffs: moving a node and changing one text on the canvas must
 * change exactly two lines of a commented flow file (its `layout` line and the text line).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type EditorSuite, type RunningServer, screenshotDir, signIn, startEditorSuite } from "./harness.ts";

const reference = readFileSync(new URL("../../examples/callback-request.yaml", import.meta.url), "utf8");
const positions = ["welcome", "main", "consent-callback", "ask-name", "ask-phone", "send-crm", "thanks", "no-consent", "hours", "done"];
const commented = `${reference}layout:   # editor positions, one line per node\n${positions.map((id, index) => `  ${id}: { x: ${(index % 3) * 300}, y: ${Math.floor(index / 3) * 180} }`).join("\n")}\n`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

let browser: Browser;
let server: RunningServer;
let suite: EditorSuite | undefined;
let repo: string;

describe.skipIf(!browserAvailable)("a canvas edit as a git diff", () => {
  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), "botschaft-git-flows-"));
    git(repo, "init", "-q");
    writeFileSync(join(repo, "callback-request.yaml"), commented);
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "flow");
    suite = await startEditorSuite(repo);
    ({ server, browser } = suite);
  }, 120_000);

  afterAll(() => suite?.close());

  it("changes exactly the moved node's layout line and the edited text line", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "de-DE" });
    await signIn(page, server, await server.member(["editor"]));
    await page.getByTestId("open-callback-request").click();
    const hours = page.locator('.react-flow__node[data-id="hours"] .flow-node-text');
    await hours.waitFor();

    // Move "hours" with the mouse, as a person would.
    const box = await hours.boundingBox();
    if (!box) throw new Error("node not visible");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 12 });
    await page.mouse.up();

    await page.locator('.react-flow__node[data-id="thanks"] .flow-node-text').click();
    await page.getByTestId("field-text").fill("Vielen Dank, {{name}}! Wir melden uns.");
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toBe("Gespeichert.");
    await page.screenshot({ path: join(screenshotDir, "07-git-diff.png") });

    expect(git(repo, "diff", "--numstat").trim()).toBe("2\t2\tcallback-request.yaml");
    const changed = git(repo, "diff", "-U0")
      .split("\n")
      .filter((line) => /^[+-] /.test(line));
    expect(changed[0]).toBe("-    text: Danke, {{name}}! Wir rufen Sie zurück.");
    expect(changed[1]).toBe("+    text: Vielen Dank, {{name}}! Wir melden uns.");
    expect(changed[2]).toBe("-  hours: { x: 600, y: 360 }");
    expect(changed[3]).toMatch(/^\+ {2}hours: \{ x: \d+, y: \d+ \}$/);
    expect(changed[3]).not.toBe("+  hours: { x: 600, y: 360 }");
    await page.close();
  }, 60_000);
});
