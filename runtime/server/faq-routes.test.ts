import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { editorTestApp } from "../testing/editor-test-app.ts";
import { createFakeClock } from "../testing/fake-clock.ts";

const examplesDir = new URL("../../examples", import.meta.url).pathname;
const adminToken = "admin-token-for-tests-0123456789";

async function harness() {
  const root = mkdtempSync(join(tmpdir(), "botschaft-faq-"));
  const flowsDir = join(root, "flows");
  mkdirSync(flowsDir);
  copyFileSync(join(examplesDir, "support-faq.yaml"), join(flowsDir, "support-faq.yaml"));
  copyFileSync(join(examplesDir, "velo-service.faq.yaml"), join(flowsDir, "velo-service.faq.yaml"));
  const clock = createFakeClock({ at: "2026-11-22T10:00:00Z" });
  const { app, runtime } = await editorTestApp({ flowsDir, examplesDir, distDir: root, adminToken, clock });
  const admin = (method: "get" | "put" | "post", path: string) => request(app)[method](`/api/v1/admin${path}`).set("authorization", `Bearer ${adminToken}`);
  await admin("put", "/flows/support-faq").set("content-type", "text/yaml").send(readFileSync(join(flowsDir, "support-faq.yaml"), "utf8")).expect(201);
  const chat = async () => {
    const started = await request(app).post("/api/v1/conversations").send({ flow: "support-faq" }).expect(201);
    const { id, token } = started.body as { id: string; token: string };
    const say = async (text: string) =>
      (await request(app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send({ type: "text", text }).expect(200)).body as {
        messages: { type: string; text?: string }[];
      };
    return { id, say };
  };
  return { app, runtime, admin, flowsDir, clock, chat };
}

describe("the faq step on the server, and the editors' review of unanswered questions", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.runtime.close();
  });

  it("answers a question from the knowledge base published with the flow", async () => {
    const { say } = await h.chat();
    const reply = await say("Habt ihr samstags offen?");
    expect(reply.messages[0]?.text).toContain("samstags von 10 bis 16 Uhr");
  });

  it("keeps a conversation on the knowledge base it started with when a changed one is published", async () => {
    const before = await h.chat();
    const kb = join(h.flowsDir, "velo-service.faq.yaml");
    writeFileSync(kb, readFileSync(kb, "utf8").replace("samstags von 10 bis 16 Uhr", "samstags von 9 bis 14 Uhr"));
    const republished = await h.admin("put", "/flows/support-faq").set("content-type", "text/yaml").send(readFileSync(join(h.flowsDir, "support-faq.yaml"), "utf8")).expect(201);
    expect(republished.body.created).toBe(true);
    expect((await before.say("Habt ihr samstags offen?")).messages[0]?.text).toContain("10 bis 16 Uhr");
    const after = await h.chat();
    expect((await after.say("Habt ihr samstags offen?")).messages[0]?.text).toContain("9 bis 14 Uhr");
  });

  it("keeps an unanswered question masked and unlinked, takes an agent's answer as a suggestion, and adds it as a new entry", async () => {
    const { id, say } = await h.chat();
    const reply = await say("Ich bin Anna Schmidt, 0170 1234567 – kann ich mein Handy bei euch reparieren lassen?");
    expect(reply.messages[0]?.text).toBe("Darauf habe ich leider keine sichere Antwort.");
    const open = await h.admin("get", "/unanswered?status=open").expect(200);
    expect(open.body.questions).toHaveLength(1);
    const [question] = open.body.questions as { id: string; question: string; knowledgeBase: string; flow: string }[];
    expect(question).toMatchObject({ knowledgeBase: "velo-service", flow: "support-faq", question: "Ich bin [name], [phone] – kann ich mein Handy bei euch reparieren lassen?" });
    expect(JSON.stringify(open.body)).not.toContain(id);

    const outcome = await h.runtime.faqReview.agentAnswered({ conversation: id, answer: "Nein, Frau Schmidt, Handys reparieren wir nicht, nur Fahrräder.", question: "Handy reparieren?" });
    expect(outcome).toEqual({ kind: "suggested", question: question?.id });
    const answered = (await h.admin("get", "/unanswered?status=answered").expect(200)).body.questions[0];
    expect(answered).toMatchObject({ question: "Handy reparieren?", agentAnswer: "Nein, Frau [name], Handys reparieren wir nicht, nur Fahrräder.", status: "answered" });

    await h.admin("post", `/unanswered/${question?.id}/add`).send({ as: "entry", entry: "phone-repair", question: "Repariert ihr auch Handys?", answer: "Nein, wir reparieren nur Fahrräder." }).expect(200);
    const kb = parse(readFileSync(join(h.flowsDir, "velo-service.faq.yaml"), "utf8")) as { entries: { id: string; questions: string[]; answer: string }[] };
    expect(kb.entries.at(-1)).toEqual({ id: "phone-repair", questions: ["Repariert ihr auch Handys?"], answer: "Nein, wir reparieren nur Fahrräder." });
    expect(readFileSync(join(h.flowsDir, "velo-service.faq.yaml"), "utf8")).toContain("# The knowledge base of the support example");
    expect((await h.admin("get", "/unanswered?status=open,answered").expect(200)).body.questions).toEqual([]);
    await h.admin("post", `/unanswered/${question?.id}/dismiss`).expect(409);
    const audit = await request(h.app).get("/api/v1/audit").set("authorization", `Bearer ${adminToken}`).expect(200);
    expect(JSON.stringify(audit.body)).toContain("faq.entry-add");
  });

  it("adds a question as a further phrasing of an entry, and dismisses another", async () => {
    const first = await h.chat();
    await first.say("Wie wird das Wetter morgen?");
    h.clock.advance(1000);
    const second = await h.chat();
    await second.say("Erzähl mir einen Witz");
    const [latest, earlier] = (await h.admin("get", "/unanswered").expect(200)).body.questions as { id: string }[];
    await h.admin("post", `/unanswered/${earlier?.id}/add`).send({ as: "phrasing", entry: "store-location", question: "Wie komme ich mit der Straßenbahn zu euch?" }).expect(200);
    expect(earlier).toMatchObject({ question: "Wie wird das Wetter morgen?" });
    const kb = parse(readFileSync(join(h.flowsDir, "velo-service.faq.yaml"), "utf8")) as { entries: { id: string; questions: string[] }[] };
    expect(kb.entries.find((entry) => entry.id === "store-location")?.questions.at(-1)).toBe("Wie komme ich mit der Straßenbahn zu euch?");
    await h.admin("post", `/unanswered/${latest?.id}/dismiss`).expect(204);
    await h.admin("post", `/unanswered/${latest?.id}/add`).send({ as: "phrasing", entry: "store-location", question: "x" }).expect(409);
    await h.admin("post", `/unanswered/${latest?.id}/add`).send({ as: "sideways", entry: "store-location", question: "x" }).expect(400);
  });

  it("tells the inbox when there was no fallback in a conversation, or no such conversation", async () => {
    const { id, say } = await h.chat();
    await say("Habt ihr samstags offen?");
    expect(await h.runtime.faqReview.agentAnswered({ conversation: id, answer: "Ja." })).toEqual({ kind: "no-fallback" });
    expect(await h.runtime.faqReview.agentAnswered({ conversation: "nope", answer: "Ja." })).toEqual({ kind: "unknown-conversation" });
  });

  it("deletes kept questions after the retention time", async () => {
    const { say } = await h.chat();
    await say("Wie wird das Wetter morgen?");
    h.clock.advance(91 * 86_400_000);
    expect(await h.runtime.faqReview.prune()).toBe(1);
    expect((await h.admin("get", "/unanswered").expect(200)).body.questions).toEqual([]);
  });

  it("creates a flow from the support example together with its knowledge base", async () => {
    const root = mkdtempSync(join(tmpdir(), "botschaft-faq-example-"));
    mkdirSync(join(root, "flows"));
    const { app, runtime } = await editorTestApp({ flowsDir: join(root, "flows"), examplesDir, distDir: root, adminToken });
    await request(app).post("/api/v1/admin/examples/support-faq/create").set("authorization", `Bearer ${adminToken}`).send({ to: "my-support" }).expect(201);
    expect(readFileSync(join(root, "flows", "velo-service.faq.yaml"), "utf8")).toBe(readFileSync(join(examplesDir, "velo-service.faq.yaml"), "utf8"));
    await request(app).put("/api/v1/admin/flows/my-support").set("authorization", `Bearer ${adminToken}`).set("content-type", "text/yaml").send(readFileSync(join(root, "flows", "my-support.yaml"), "utf8")).expect(201);
    await runtime.close();
  });

  it("edits knowledge base files with If-Match, and lets only editors and admins see the review list", async () => {
    const listed = await h.admin("get", "/knowledge-bases").expect(200);
    expect(listed.body.knowledgeBases.map((file: { id: string }) => file.id)).toEqual(["velo-service"]);
    const file = await h.admin("get", "/knowledge-bases/velo-service").expect(200);
    await h.admin("put", "/knowledge-bases/velo-service").set("content-type", "text/yaml").set("if-match", "stale").send(file.body.text).expect(409);
    await h.admin("put", "/knowledge-bases/velo-service").set("content-type", "text/yaml").set("if-match", file.body.hash).send(`${file.body.text}\n`).expect(200);
    await h.admin("put", "/knowledge-bases/hotel").set("content-type", "text/yaml").set("if-none-match", "*").send("language: en\nentries: []\n").expect(201);
    const agent = await h.runtime.member(["agent"]);
    await request(h.app).get("/api/v1/admin/unanswered").set("cookie", agent.cookie).expect(403);
    const dpo = await h.runtime.member(["dpo"]);
    await request(h.app).get("/api/v1/admin/unanswered").set("cookie", dpo.cookie).expect(403);
    const editor = await h.runtime.member(["editor"]);
    await request(h.app).get("/api/v1/admin/unanswered").set("cookie", editor.cookie).expect(200);
  });
});
