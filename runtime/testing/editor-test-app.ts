/**
 * The test runtime with the editor and its file API, for the file API's tests and the editor's
 * browser tests: `createTestRuntime` serving `flowsDir`, with no flow published up front.
 */
import type express from "express";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { createTestRuntime } from "./create-test-runtime.ts";
import type { FakeClock } from "./fake-clock.ts";

export interface EditorTestAppOptions {
  flowsDir: string;
  examplesDir: string;
  distDir: string;
  adminToken: string;
  clock?: FakeClock;
  /** The runtime's `BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`. */
  webhookAllowHosts?: readonly string[];
}

export interface EditorTestApp {
  app: express.Express;
  catalog: FlowCatalog;
}

export async function editorTestApp(options: EditorTestAppOptions): Promise<EditorTestApp> {
  const runtime = await createTestRuntime({
    flows: [],
    logLevel: "silent",
    ...(options.clock ? { clock: options.clock } : {}),
    team: { configuredAdminToken: options.adminToken },
    ...(options.webhookAllowHosts ? { webhookAllowHosts: options.webhookAllowHosts } : {}),
    web: { editor: { flowsDir: options.flowsDir, examplesDir: options.examplesDir, distDir: options.distDir } },
  });
  return { app: runtime.app, catalog: runtime.catalog };
}
