/**
 * The HTTP app with the editor and its file API over an in-memory store, for the file API's
 * tests and the editor's browser tests. The crypto adapters are reversible stand-ins: these
 * tests are about files and publishing, not about sealing.
 */
import type express from "express";
import { pino } from "pino";
import { MemoryStore } from "../stores/embedded/memory-store.ts";
import { ConversationService } from "../app/conversations/conversation-service.ts";
import { createApp } from "../server/create-app.ts";
import { FlowCatalog } from "../app/flows/flow-catalog.ts";

export interface EditorTestAppOptions {
  flowsDir: string;
  examplesDir: string;
  distDir: string;
  adminToken: string;
  clock?: () => Date;
}

export function editorTestApp(options: EditorTestAppOptions): { app: express.Express; catalog: FlowCatalog } {
  const store = new MemoryStore();
  const clock = options.clock ?? (() => new Date());
  const catalog = new FlowCatalog(store, clock);
  const service = new ConversationService({
    store,
    catalog,
    sealer: { seal: (_id, state) => JSON.stringify(state), open: (_id, sealed) => JSON.parse(sealed) },
    tokens: { issue: () => `t${Math.random()}`, hash: (token) => token, matches: (token, hash) => token === hash },
    clock,
    hashText: (text) => `h${text.length}`,
    callWebhook: async () => ({ ok: false }),
  });
  const app = createApp({
    service,
    catalog,
    adminAuth: { matches: async (token) => token === options.adminToken },
    logger: pino({ level: "silent" }),
    limits: { messagesPerWindow: 10_000, conversationsPerWindow: 10_000, windowMs: 10_000 },
    editor: { flowsDir: options.flowsDir, examplesDir: options.examplesDir, distDir: options.distDir },
  });
  return { app, catalog };
}
