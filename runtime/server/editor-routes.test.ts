import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { beforeEach, describe, expect, it } from "vitest";
import { editorTestApp } from "../testing/editor-test-app.ts";
import { createFakeClock } from "../testing/fake-clock.ts";
import { contentVersion } from "../app/flows/flow-catalog.ts";
import { withFlowId } from "../app/flows/flow-files.ts";

const examplesDir = new URL("../../examples", import.meta.url).pathname;
const reference = readFileSync(join(examplesDir, "callback-request.yaml"), "utf8");
const adminToken = "admin-token-for-tests-0123456789";

async function harness() {
  const root = mkdtempSync(join(tmpdir(), "botschaft-editor-"));
  const flowsDir = join(root, "flows");
  const distDir = join(root, "dist");
  mkdirSync(flowsDir);
  mkdirSync(distDir);
  writeFileSync(join(distDir, "index.html"), "<!doctype html><title>Editor</title>");
  const { app, catalog } = await editorTestApp({ flowsDir, examplesDir, distDir, adminToken, clock: createFakeClock({ at: "2026-11-22T10:00:00Z" }) });
  const admin = (method: "get" | "put" | "post" | "delete", path: string) => request(app)[method](`/api/v1/admin${path}`).set("authorization", `Bearer ${adminToken}`);
  return { app, admin, flowsDir, catalog };
}

describe("the editor's file API", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeEach(async () => {
    h = await harness();
  });

  it("serves the editor's HTML shell without a token, with a strict content security policy", async () => {
    const page = await request(h.app).get("/editor/").expect(200);
    expect(page.text).toContain("<title>Editor</title>");
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    await request(h.app).get("/editor/flows/some-flow").expect(200);
  });

  it("hands the editor the allow-listed webhook hosts with a file, so it validates as publishing will", async () => {
    const root = mkdtempSync(join(tmpdir(), "botschaft-editor-"));
    mkdirSync(join(root, "flows"));
    const onPremises = withFlowId(reference, "on-premises").replace("https://crm.muster.example/api/callbacks", "https://10.0.0.5/api/callbacks");
    writeFileSync(join(root, "flows", "on-premises.yaml"), onPremises);
    const { app } = await editorTestApp({ flowsDir: join(root, "flows"), examplesDir, distDir: root, adminToken, webhookAllowHosts: ["10.0.0.5"] });
    const file = await request(app).get("/api/v1/admin/files/on-premises").set("authorization", `Bearer ${adminToken}`).expect(200);
    expect(file.body.webhookAllowHosts).toEqual(["10.0.0.5"]);
    await request(app).put("/api/v1/admin/flows/on-premises").set("authorization", `Bearer ${adminToken}`).set("content-type", "text/yaml").send(onPremises).expect(201);
    const { app: strict } = await editorTestApp({ flowsDir: join(root, "flows"), examplesDir, distDir: root, adminToken });
    const refused = await request(strict).put("/api/v1/admin/flows/on-premises").set("authorization", `Bearer ${adminToken}`).set("content-type", "text/yaml").send(onPremises).expect(422);
    expect(refused.body.error.problems.map((problem: { rule: string }) => problem.rule)).toEqual(["webhook-address"]);
  });

  it("refuses every file request without the admin token", async () => {
    await request(h.app).get("/api/v1/admin/files").expect(401);
    await request(h.app).get("/api/v1/admin/examples").expect(401);
    await request(h.app).put("/api/v1/admin/files/x").set("content-type", "text/yaml").send("flow: x").expect(401);
  });

  it("creates a flow from an example, lists it as unpublished, then as published and as a draft after a change", async () => {
    const examples = await h.admin("get", "/examples").expect(200);
    expect(examples.body.examples).toContainEqual(expect.objectContaining({ id: "callback-request", title: "Rückruf anfordern", language: "de" }));
    expect(examples.body.examples.find((example: { id: string }) => example.id === "callback-request").steps.slice(0, 2)).toEqual(["message", "choice"]);
    const created = await h.admin("post", "/examples/callback-request/create").send({ to: "my-callback" }).expect(201);
    const text = readFileSync(join(h.flowsDir, "my-callback.yaml"), "utf8");
    expect(text).toBe(withFlowId(reference, "my-callback"));
    expect(text.split("\n")[1]).toBe("flow: my-callback          # id: kebab-case, equal to the file name");
    expect(created.body).toEqual({ id: "my-callback", hash: contentVersion(text) });
    expect((await h.admin("get", "/files").expect(200)).body.files).toEqual([{ id: "my-callback", hash: contentVersion(text), published: null, title: "Rückruf anfordern" }]);

    await h.admin("put", "/flows/my-callback").set("content-type", "text/yaml").send(text).expect(201);
    const published = (await h.admin("get", "/files/my-callback").expect(200)).body;
    expect(published).toEqual({ id: "my-callback", text, hash: contentVersion(text), published: contentVersion(text), webhookAllowHosts: [], integrations: { secrets: [] } });

    const changed = text.replace("9 bis 17 Uhr", "8 bis 18 Uhr");
    await h.admin("put", "/files/my-callback").set("content-type", "text/yaml").set("if-match", contentVersion(text)).send(changed).expect(200);
    const draft = (await h.admin("get", "/files").expect(200)).body.files[0];
    expect(draft).toEqual({ id: "my-callback", hash: contentVersion(changed), published: contentVersion(text), title: "Rückruf anfordern" });
  });

  it("answers 409 instead of overwriting a file that changed since it was opened", async () => {
    writeFileSync(join(h.flowsDir, "a.yaml"), "flow: a\n");
    const opened = (await h.admin("get", "/files/a").expect(200)).body.hash;
    // Someone else (another tab, a git pull) changes the file.
    writeFileSync(join(h.flowsDir, "a.yaml"), "flow: a\ntitle: newer\n");
    const refused = await h.admin("put", "/files/a").set("content-type", "text/yaml").set("if-match", opened).send("flow: a\ntitle: mine\n").expect(409);
    expect(refused.body.error.code).toBe("conflict");
    expect(readFileSync(join(h.flowsDir, "a.yaml"), "utf8")).toBe("flow: a\ntitle: newer\n");
    await h.admin("delete", "/files/a").set("if-match", opened).expect(409);
    await h.admin("put", "/files/a").set("content-type", "text/yaml").send("x").expect(400);
    await h.admin("put", "/files/a").set("content-type", "text/yaml").set("if-none-match", "*").send("x").expect(409);
  });

  it("renames, duplicates and deletes files, with the flow id inside following the file name", async () => {
    writeFileSync(join(h.flowsDir, "one.yaml"), "# note\nflow: one # keep\ntitle: One\n");
    const hash = (await h.admin("get", "/files/one").expect(200)).body.hash;
    await h.admin("post", "/files/one/duplicate").send({ to: "two" }).expect(201);
    expect(readFileSync(join(h.flowsDir, "two.yaml"), "utf8")).toBe("# note\nflow: two # keep\ntitle: One\n");
    await h.admin("post", "/files/one/duplicate").send({ to: "two" }).expect(409);
    const renamed = await h.admin("post", "/files/one/rename").set("if-match", hash).send({ to: "three" }).expect(200);
    expect(renamed.body.id).toBe("three");
    expect(readdirSync(h.flowsDir).sort()).toEqual(["three.yaml", "two.yaml"]);
    const threeHash = (await h.admin("get", "/files/three").expect(200)).body.hash;
    await h.admin("delete", "/files/three").set("if-match", threeHash).expect(204);
    expect(readdirSync(h.flowsDir)).toEqual(["two.yaml"]);
    await h.admin("get", "/files/three").expect(404);
  });

  it("follows no symbolic link out of the flows directory: not listed, not read, not written, renamed or deleted", async () => {
    const outside = join(mkdtempSync(join(tmpdir(), "botschaft-outside-")), "secret.yaml");
    writeFileSync(outside, "flow: secret\ntitle: Geheim\n");
    symlinkSync(outside, join(h.flowsDir, "linked.yaml"));
    writeFileSync(join(h.flowsDir, "plain.yaml"), "flow: plain\ntitle: Plain\n");
    expect((await h.admin("get", "/files").expect(200)).body.files.map((file: { id: string }) => file.id)).toEqual(["plain"]);
    const read = await h.admin("get", "/files/linked").expect(400);
    expect(read.body.error.message).toContain("symbolic link");
    expect(JSON.stringify(read.body)).not.toContain("Geheim");
    const hash = contentVersion("flow: secret\ntitle: Geheim\n");
    await h.admin("put", "/files/linked").set("content-type", "text/yaml").set("if-match", hash).send("flow: linked\n").expect(400);
    await h.admin("post", "/files/linked/rename").set("if-match", hash).send({ to: "moved" }).expect(400);
    await h.admin("post", "/files/linked/duplicate").send({ to: "copied" }).expect(400);
    await h.admin("delete", "/files/linked").set("if-match", hash).expect(400);
    const plainHash = (await h.admin("get", "/files/plain").expect(200)).body.hash;
    await h.admin("post", "/files/plain/rename").set("if-match", plainHash).send({ to: "linked" }).expect(409);
    expect(readFileSync(outside, "utf8")).toBe("flow: secret\ntitle: Geheim\n");
    expect(readdirSync(h.flowsDir).sort()).toEqual(["linked.yaml", "plain.yaml"]);
  });

  it("renames atomically: of two concurrent renames of one file exactly one wins, and one file remains", async () => {
    for (let round = 0; round < 20; round++) {
      const id = `flow-${round}`;
      writeFileSync(join(h.flowsDir, `${id}.yaml`), `flow: ${id}\ntitle: Runde ${round}\n`);
      const hash = (await h.admin("get", `/files/${id}`).expect(200)).body.hash;
      const [first, second] = await Promise.all([
        h.admin("post", `/files/${id}/rename`).set("if-match", hash).send({ to: `${id}-a` }),
        h.admin("post", `/files/${id}/rename`).set("if-match", hash).send({ to: `${id}-b` }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 404]);
      const left = readdirSync(h.flowsDir).filter((name) => name.startsWith(`${id}`) && name.endsWith(".yaml"));
      expect(left).toHaveLength(1);
    }
    expect(readdirSync(h.flowsDir).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("renames onto an existing file never: 409, both files unchanged", async () => {
    writeFileSync(join(h.flowsDir, "one.yaml"), "flow: one\n");
    writeFileSync(join(h.flowsDir, "two.yaml"), "flow: two\n");
    const hash = (await h.admin("get", "/files/one").expect(200)).body.hash;
    await h.admin("post", "/files/one/rename").set("if-match", hash).send({ to: "two" }).expect(409);
    expect(readFileSync(join(h.flowsDir, "one.yaml"), "utf8")).toBe("flow: one\n");
    expect(readFileSync(join(h.flowsDir, "two.yaml"), "utf8")).toBe("flow: two\n");
  });

  it.each(["..%2Fsecret", "..", "a%2Fb", "UPPER", "a_b", "a.yaml", "%2Fetc%2Fpasswd"])("refuses the file id %s", async (id) => {
    const response = await h.admin("get", `/files/${id}`);
    expect([400, 404]).toContain(response.status);
    expect(response.body.error.code === "bad-request" || response.body.error.code === "not-found").toBe(true);
    await h.admin("put", `/files/${id}`).set("content-type", "text/yaml").set("if-none-match", "*").send("flow: x").expect((r) => expect([400, 404]).toContain(r.status));
    await h.admin("post", "/files/two/duplicate").send({ to: decodeURIComponent(id) }).expect((r) => expect([400, 404]).toContain(r.status));
    expect(readdirSync(h.flowsDir)).toEqual([]);
  });
});
