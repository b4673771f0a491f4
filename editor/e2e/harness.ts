/**
 * Test and benchmark harness: builds the editor with Vite's API into a temporary folder, starts
 * a real runtime (in-memory store, a given flows directory) on a loopback port, and launches
 * headless Chromium.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type { TeamRole } from "../src/api/session-api.ts";
import type { TestMember } from "../../runtime/testing/create-test-runtime.ts";
import { build } from "vite";
import { type EditorTestApp, type EditorTestAppOptions, editorTestApp } from "../../runtime/testing/editor-test-app.ts";
import { launchChromium, skipBrowserTests } from "../../runtime/testing/headless-chromium.ts";
import { foreignTexts } from "./screen-texts.ts";
import type { FakeClock } from "../../runtime/testing/fake-clock.ts";

export { launchChromium };

export const adminToken = "editor-e2e-admin-token-0123456789";
export const examplesDir = fileURLToPath(new URL("../../examples", import.meta.url));

/** Browser tests skip only outside CI on a machine without Chromium. */
export const browserAvailable = !skipBrowserTests;

let built: Promise<string> | undefined;

/** Builds the editor once per process into a fresh folder; returns that folder. */
export function buildEditor(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), "botschaft-editor-dist-"));
    await build({ configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)), logLevel: "warn", build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return built;
}

export interface RunningServer {
  url: string;
  catalog: EditorTestApp["catalog"];
  runtime: EditorTestApp["runtime"];
  /** A team member with these roles, invited and with a password, ready to sign in. */
  member(roles: TeamRole[], email?: string): Promise<TestMember>;
  close(): Promise<void>;
}

/** Signs in on the editor's sign-in page as a person would, and waits for the signed-in header. */
export async function signIn(page: Page, server: RunningServer, member: TestMember, locale?: "de" | "en"): Promise<void> {
  await page.goto(`${server.url}/editor/`);
  if (locale) await page.getByTestId("ui-language").selectOption(locale);
  // A second tab of the same browser is signed in already: the session cookie is shared.
  await page.locator('[data-testid="email"], [data-testid="signed-in-as"]').first().waitFor();
  if (await page.getByTestId("signed-in-as").isVisible()) return;
  await page.getByTestId("email").fill(member.email);
  await page.getByTestId("password").fill(member.password);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("signed-in-as").waitFor();
}

export async function startServer(
  flowsDir: string,
  distDir: string,
  options: { approval?: "dpo"; widgetAssets?: EditorTestAppOptions["widgetAssets"]; clock?: FakeClock; messengers?: EditorTestAppOptions["messengers"]; integrations?: EditorTestAppOptions["integrations"] } = {},
): Promise<RunningServer> {
  const { app, catalog, runtime } = await editorTestApp({ flowsDir, examplesDir, distDir, adminToken, ...options });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    catalog,
    runtime,
    member: (roles, email) => runtime.member(roles, email),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where screenshots go (gitignored). */
export const screenshotDir = fileURLToPath(new URL("../../scratch/editor-screenshots", import.meta.url));

/** A second folder for screenshots, where a reviewer looks (BOTSCHAFT_SCREENSHOT_DIR), if given. */
const reviewDir = process.env.BOTSCHAFT_SCREENSHOT_DIR;

/**
 * Takes a screenshot into `screenshotDir`, and into the reviewer's folder when one is given.
 * A screen of the editor app is then checked for texts of the other language (screen-texts.ts):
 * every screenshot of a German screen is also a test that it shows no English, and the other
 * way round. `allowed` names content that is not the app's (a flow's German texts and field
 * labels on an English screen, a visitor's words).
 */
export async function shot(page: Page, name: string, options: { fullPage?: boolean; allowed?: readonly string[] } = {}): Promise<void> {
  const { allowed, ...screenshot } = options;
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), ...screenshot });
  if (reviewDir) {
    mkdirSync(reviewDir, { recursive: true });
    await page.screenshot({ path: join(reviewDir, `${name}.png`), ...screenshot });
  }
  // After the picture, so that a screen that fails can be looked at.
  await expectOneLanguage(page, name, allowed);
}

/** Throws when a screen of the editor app (`.app[lang]`) shows texts of the other language (screen-texts.ts); other pages pass. */
export async function expectOneLanguage(page: Page, name: string, allowed: readonly string[] = []): Promise<void> {
  const lang = await page.locator(".app[lang]").first().getAttribute("lang", { timeout: 1000 }).catch(() => null);
  if (lang !== "de" && lang !== "en") return;
  const found = await foreignTexts(page, lang, allowed);
  if (found.length > 0) throw new Error(`the ${lang === "de" ? "German" : "English"} screen ${name} shows texts of the other language: ${JSON.stringify(found)}`);
}

export interface EditorSuite {
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

/** What every browser suite starts from: the built editor, a runtime serving `flowsDir`, and Chromium. */
export async function startEditorSuite(flowsDir: string, options: { approval?: "dpo"; widgetAssets?: EditorTestAppOptions["widgetAssets"]; messengers?: EditorTestAppOptions["messengers"]; integrations?: EditorTestAppOptions["integrations"] } = {}): Promise<EditorSuite> {
  mkdirSync(screenshotDir, { recursive: true });
  const server = await startServer(flowsDir, await buildEditor(), options);
  const browser = await launchChromium();
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export function centre(box: { x: number; y: number; width: number; height: number } | null): { x: number; y: number } {
  if (!box) throw new Error("element not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an outlet handle to another node's input handle with real pointer events. */
export async function connect(page: Page, source: string, pointer: string, target: string): Promise<void> {
  const from = centre(await page.getByTestId(`handle-${source}${pointer}`).boundingBox());
  const to = centre(await page.locator(`.react-flow__node[data-id="${target}"] .target-handle`).boundingBox());
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${source}${pointer}"]`).waitFor({ timeout: 5000 }).catch(() => undefined);
}

