import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaCommentProblem } from "./schema-comment.ts";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-schema-comment-"));
  await mkdir(join(root, "schemas"));
  await mkdir(join(root, "flows"));
  await writeFile(join(root, "schemas/flow.schema.json"), "{}");
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe("the $schema comment", () => {
  it("passes a relative path that leads to a file, a URL, and a file without the comment", async () => {
    const file = join(root, "flows/a.yaml");
    expect(await schemaCommentProblem(file, "# yaml-language-server: $schema=../schemas/flow.schema.json\nflow: a\n", "en")).toBeUndefined();
    expect(await schemaCommentProblem(file, "# yaml-language-server: $schema=https://example.org/flow.schema.json\n", "en")).toBeUndefined();
    expect(await schemaCommentProblem(file, "flow: a\n", "en")).toBeUndefined();
  });

  it("warns at the path when it leads nowhere, and names the schema of this Botschaft relative to the file, CRLF or not", async () => {
    const file = join(root, "flows/a.yaml");
    const problem = await schemaCommentProblem(file, "# a flow\r\n# yaml-language-server: $schema=../node_modules/botschaft/schemas/flow.schema.json\r\nflow: a\r\n", "en");
    expect(problem).toMatchObject({ rule: "schema", severity: "warning", line: 2, column: 33 });
    expect(problem?.message).toMatch(/^The \$schema path "\.\.\/node_modules\/botschaft\/schemas\/flow\.schema\.json" leads to no file from here, .* From here it is "(\.\.\/)+.*schemas\/flow\.schema\.json"\.$/);
  });

  it("suggests the knowledge-base schema for a knowledge base, in German too", async () => {
    const problem = await schemaCommentProblem(join(root, "flows/service.faq.yaml"), "# yaml-language-server: $schema=missing.json\n", "de");
    expect(problem?.message).toMatch(/^Der \$schema-Pfad "missing\.json" führt von dieser Datei aus ins Leere, .*knowledge-base\.schema\.json"\.$/);
  });
});
