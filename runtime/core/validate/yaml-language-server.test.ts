/**
 * The flow schema as VS Code's YAML extension sees it: the real `yaml-language-server`, spoken
 * to over LSP on stdio, with a flow document that names the schema in its modeline
 * (docs/ci.md#vs-code-schema). Its completion and diagnostics come from its own reading of the
 * JSON Schema, not from ajv, so they need a test of their own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { nodeDefinitions } from "../nodes/index.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const serverPath = fileURLToPath(import.meta.resolve("yaml-language-server/bin/yaml-language-server"));
const settings = { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false }, format: { enable: false } } };

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
}

/** A flow whose node `fresh` has just been given `type: ` and nothing else, and whose node `typo` misspells its type. */
const flowText = [
  "# yaml-language-server: $schema=../schemas/flow.schema.json",
  "flow: lsp-probe",
  "title: Probe",
  "language: de",
  "privacy:",
  "  controller: { name: Muster GmbH, address: Musterstraße 1, email: datenschutz@muster.example }",
  "start: fresh",
  "nodes:",
  "  fresh:",
  "    type: ",
  "  typo:",
  "    type: mesage",
  "    text: Hallo",
  "",
].join("\n");

const freshTypeLine = flowText.split("\n").indexOf("    type: ");
const typoTypeLine = flowText.split("\n").indexOf("    type: mesage");
const nodeTypes = Object.keys(nodeDefinitions);

describe("the flow schema in yaml-language-server (VS Code's YAML extension)", () => {
  let server: ChildProcess;
  let connection: MessageConnection;
  const uri = pathToFileURL(`${root}flows/lsp-probe.yaml`).href;
  let diagnostics: Promise<Diagnostic[]>;

  beforeAll(async () => {
    server = spawn(process.execPath, [serverPath, "--stdio"], { stdio: ["pipe", "pipe", "ignore"] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout as NonNullable<typeof server.stdout>), new StreamMessageWriter(server.stdin as NonNullable<typeof server.stdin>));
    // The server asks the client for its settings and to register capabilities.
    connection.onRequest("workspace/configuration", (params: { items: { section?: string }[] }) => params.items.map((item) => (item.section === "yaml" ? settings.yaml : null)));
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    diagnostics = new Promise((resolve) => {
      connection.onNotification("textDocument/publishDiagnostics", (params: { uri: string; diagnostics: Diagnostic[] }) => {
        if (params.uri === uri) resolve(params.diagnostics);
      });
    });
    connection.listen();
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ["markdown"] } }, workspace: { configuration: true } },
      workspaceFolders: null,
    });
    await connection.sendNotification("initialized", {});
    await connection.sendNotification("workspace/didChangeConfiguration", { settings });
    await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text: flowText } });
  }, 30_000);

  afterAll(() => {
    connection?.dispose();
    server?.kill();
  });

  it("completes `type: ` in a new node with every node type", async () => {
    const completion = await connection.sendRequest<{ items: { label: string }[] } | { label: string }[]>("textDocument/completion", {
      textDocument: { uri },
      position: { line: freshTypeLine, character: "    type: ".length },
    });
    const labels = ("items" in completion ? completion.items : completion).map((item) => item.label);
    expect([...labels].sort()).toEqual([...nodeTypes].sort());
  }, 30_000);

  it("lists every node type for a misspelt one", async () => {
    const atTypo = (await diagnostics).filter((diagnostic) => diagnostic.range.start.line === typoTypeLine);
    expect(atTypo.some((diagnostic) => nodeTypes.every((type) => diagnostic.message.includes(`"${type}"`)))).toBe(true);
  }, 30_000);

  it("explains `type` and its values on hover", async () => {
    const hover = await connection.sendRequest<{ contents: { value: string } } | null>("textDocument/hover", {
      textDocument: { uri },
      position: { line: freshTypeLine, character: 5 },
    });
    const text = hover?.contents.value ?? "";
    expect(text).toContain("Node type");
    for (const type of nodeTypes) expect(text).toContain(`\`${type}\``);
  }, 30_000);
});
