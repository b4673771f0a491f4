/**
 * The test runtime with the editor and its file API, for the file API's tests and the editor's
 * browser tests: `createTestRuntime` serving `flowsDir`, with no flow published up front.
 */
import type express from "express";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { createTestRuntime, type TestRuntime, type TestRuntimeOptions } from "./create-test-runtime.ts";
import type { FakeClock } from "./fake-clock.ts";
import type { WidgetAssets } from "../widget/widget-assets.ts";
import type { EditorIntegrations } from "../server/editor-routes.ts";

export interface EditorTestAppOptions {
  flowsDir: string;
  examplesDir: string;
  distDir: string;
  /** Works as an admin API token (BOTSCHAFT_ADMIN_TOKEN). */
  adminToken: string;
  clock?: FakeClock;
  /** Four-eyes publishing. */
  approval?: "dpo";
  /** The runtime's `BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`. */
  webhookAllowHosts?: readonly string[];
  /** The built widget, for tests that open the demo page beside the editor. */
  widgetAssets?: WidgetAssets;
  /** What the integration presets' form offers (mail provider, API key names). */
  integrations?: EditorIntegrations;
  /** Messengers bound to fake platforms, for the inbox's messenger conversations. */
  messengers?: TestRuntimeOptions["messengers"];
}

export interface EditorTestApp {
  app: express.Express;
  catalog: FlowCatalog;
  runtime: TestRuntime;
}

export async function editorTestApp(options: EditorTestAppOptions): Promise<EditorTestApp> {
  const runtime = await createTestRuntime({
    flows: [],
    logLevel: "silent",
    ...(options.clock ? { clock: options.clock } : {}),
    team: { configuredAdminToken: options.adminToken, ...(options.approval ? { approval: options.approval } : {}) },
    ...(options.webhookAllowHosts ? { webhookAllowHosts: options.webhookAllowHosts } : {}),
    ...(options.messengers ? { messengers: options.messengers } : {}),
    web: { editor: { flowsDir: options.flowsDir, examplesDir: options.examplesDir, distDir: options.distDir, ...(options.integrations ? { integrations: options.integrations } : {}) }, ...(options.widgetAssets ? { widgetAssets: options.widgetAssets } : {}) },
  });
  return { app: runtime.app, catalog: runtime.catalog, runtime };
}
