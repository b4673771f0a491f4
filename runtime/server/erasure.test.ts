/**
 * What an erasure leaves behind, on each store (docs/running.md#what-erasure-guarantees-on-each-store).
 * The attacks are the ones reported in issue 17: a copy of the embedded store's directory taken
 * right after an unsubscribe, with the delete record cut out of the journal and opened with the
 * same secret; and a PostgreSQL dump taken before the erasure.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import request from "supertest";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateBearerToken, hashBearerToken } from "../app/crypto/bearer-token.ts";
import { DataKeys } from "../app/crypto/data-keys.ts";
import { pseudonym } from "../app/crypto/pseudonym.ts";
import { sealedKeyId, sealJson } from "../app/crypto/sealing.ts";
import { deleteAfter, startConversation, step } from "../core/index.ts";
import type { Store } from "../stores/ports/store.ts";
import { createTestRuntime, eventually, type TestRuntime, telegramSecret, testKeys } from "../testing/create-test-runtime.ts";
import { type FakePlatform, startFakePlatform } from "../testing/fake-platform.ts";
import { keyPartitions } from "../stores/postgres/data-keys.ts";
import { PostgresStore } from "../stores/postgres/postgres-store.ts";
import { openTestStore, testDatabaseUrl } from "../testing/open-test-store.ts";
import { erasures, ledgerCommand } from "./main.ts";
import { encodedForms, findPersonalValues } from "../testing/personal-values.ts";
import { contactFlow } from "../testing/contact-flow.ts";

const name = "Erika Mustermann";
const phone = "+49 170 1234567";
const email = "erika.mustermann@example.org";
/** How the values end up in the state: the phone normalised. */
const personalValues = [name, "+491701234567", email];

const contactYaml = contactFlow("Danke, {{name}}! Wir melden uns unter {{phone}} oder {{email}}.");

const chatId = 555_666_777;
const channelUser = pseudonym(testKeys.pseudonym.current.key, "telegram", String(chatId));

const directories: string[] = [];
const runtimes: TestRuntime[] = [];
const platforms: FakePlatform[] = [];

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
  for (const platform of platforms.splice(0)) await platform.close();
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-erasure-"));
  directories.push(directory);
  return directory;
}

async function runtimeOn(store: Store, telegram?: FakePlatform): Promise<TestRuntime> {
  const runtime = await createTestRuntime({
    store,
    flows: [{ id: "contact", yaml: contactYaml }],
    ...(telegram ? { messengers: { telegramBase: telegram.base, telegramFlow: "contact" } } : {}),
  });
  runtimes.push(runtime);
  return runtime;
}

let nextUpdate = 300_000_000;

/** A Telegram update from the test user: a text, or a button press when `data` starts with `c:`/`m:`. */
function update(text: string): unknown {
  const updateId = ++nextUpdate;
  const from = { id: chatId, is_bot: false, first_name: "Erika" };
  if (/^[cm]:/.test(text)) {
    return { update_id: updateId, callback_query: { id: `cbq-${updateId}`, from, message: { message_id: 1, chat: { id: chatId, type: "private" }, date: 1767225610 }, chat_instance: "-1", data: text } };
  }
  const command = text.startsWith("/") ? { entities: [{ offset: 0, length: text.length, type: "bot_command" }] } : {};
  return { update_id: updateId, message: { message_id: updateId, date: 1767225600, from, chat: { id: chatId, type: "private" }, text, ...command } };
}

async function deliver(runtime: TestRuntime, telegram: FakePlatform, text: string, repliesAfter: number): Promise<void> {
  await request(runtime.app)
    .post("/channels/telegram/webhook")
    .set("content-type", "application/json")
    .set("x-telegram-bot-api-secret-token", telegramSecret)
    .send(JSON.stringify(update(text)))
    .expect(200);
  // Generous: the channel worker polls, and a loaded CI machine runs other suites beside this one.
  await eventually(() => telegram.calls.filter((call) => call.method === "sendMessage").length >= repliesAfter, 15_000);
}

/** Whether a key segment file of the lowdb store still holds a transient key. */
async function keyFilesHoldTransientKeys(dataDir: string): Promise<boolean> {
  const keysDirectory = join(dataDir, "lowdb", "keys");
  for (const file of await readdir(keysDirectory)) {
    // A segment being rewritten is renamed from its .tmp file meanwhile: a file gone since the listing holds nothing.
    const text = file.startsWith("keys-") ? await readFile(join(keysDirectory, file), "utf8").catch(() => "") : "";
    if (text.includes('"kind":"transient"')) return true;
  }
  return false;
}

/** A Telegram user who gave name, phone and e-mail, got them repeated in the thanks, and unsubscribed. */
async function telegramUserWhoUnsubscribed(runtime: TestRuntime, telegram: FakePlatform): Promise<void> {
  await deliver(runtime, telegram, "/start", 1);
  await deliver(runtime, telegram, "c:accept", 2);
  await deliver(runtime, telegram, name, 3);
  await deliver(runtime, telegram, phone, 4);
  await deliver(runtime, telegram, email, 5);
  const thanks = telegram.calls.filter((call) => call.method === "sendMessage").at(-1);
  expect(thanks?.body.text).toBe(`Danke, ${name}! Wir melden uns unter +491701234567 oder ${email}.`);
  expect(await runtime.store.conversations.findByChannelUser("telegram", channelUser)).toBeDefined();
  await deliver(runtime, telegram, "/stop", 6);
  expect(telegram.calls.filter((call) => call.method === "sendMessage").at(-1)?.body.text).toMatch(/abgemeldet/);
  await runtime.settled();
  await eventually(async () => (await runtime.store.outbox.pending()).length === 0);
}

/** Every sealed value a copy of the lowdb directory holds, with the context it was sealed for. */
async function sealedValuesIn(lowdbDirectory: string): Promise<{ sealed: string; context: string }[]> {
  const found: { sealed: string; context: string }[] = [];
  const conversation = (record: { id: string; sealedState: string }) => found.push({ sealed: record.sealedState, context: record.id });
  const inbound = (record: { channel: string; key: string; sealedDelivery: string }) => found.push({ sealed: record.sealedDelivery, context: `inbound:${record.channel}:${record.key}` });
  const outbox = (entry: { id: string; sealedCall: string }) => found.push({ sealed: entry.sealedCall, context: `outbox:${entry.id}` });
  for (const file of await readdir(lowdbDirectory)) {
    const text = await readFile(join(lowdbDirectory, file), "utf8").catch(() => "");
    if (file.startsWith("journal-")) {
      for (const line of text.split("\n").filter(Boolean)) {
        const change = JSON.parse(line);
        if (change.op === "put-conversation") conversation(change.record);
        if (change.op === "accept-inbound") inbound(change.record);
        if (change.op === "complete-inbound") {
          for (const part of change.conversations) if (part.op === "put-conversation") conversation(part.record);
          for (const entry of change.outbox) outbox(entry);
        }
      }
    } else if (file.startsWith("conversations-")) {
      for (const record of JSON.parse(text).conversations) conversation(record);
    } else if (file === "meta.json") {
      const meta = JSON.parse(text);
      for (const entry of meta.inbox) if (entry.pending) inbound(entry.pending);
      for (const entry of meta.outbox) outbox(entry);
    }
  }
  return found;
}

/** What of `values` the runtime's keys open in `sealed`, using the data keys `store` holds. */
async function openable(store: Store, sealed: readonly { sealed: string; context: string }[]): Promise<string[]> {
  const dataKeys = new DataKeys(store.dataKeys, testKeys.dataKeyWrapping, () => new Date());
  const readable: string[] = [];
  for (const value of sealed) {
    const opened = await dataKeys.open(value.sealed, value.context, testKeys.stateEncryption);
    if (opened !== undefined) readable.push(JSON.stringify(opened));
  }
  return readable;
}

/** One message to a web conversation. */
function chat(runtime: TestRuntime, id: string, token: string, body: object) {
  return request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send(body);
}

/** The export of a web conversation, as its token opens it. */
function exported(runtime: TestRuntime, id: string, token: string) {
  return request(runtime.app).get(`/api/v1/conversations/${id}/data`).set("authorization", `Bearer ${token}`);
}

/** A web conversation that collected name, phone and e-mail; its id and token. */
async function chatWithPersonalData(runtime: TestRuntime): Promise<{ id: string; token: string }> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "contact" }).expect(201);
  const { id, token } = started.body as { id: string; token: string };
  for (const body of [{ choice: "accept" }, { text: name }, { text: phone }, { text: email }]) {
    await chat(runtime, id, token, body).expect(200);
  }
  const data = await exported(runtime, id, token).expect(200);
  expect(data.body.fields.map((field: { value: string }) => field.value)).toEqual(personalValues);
  return { id, token };
}

/** The personal values (and `extra`) found in `text`, in the clear or encoded. */
async function findPersonalValuesIn(text: string, values: readonly string[] = personalValues): Promise<string[]> {
  return values.flatMap((value) => encodedForms(value).filter((form) => text.includes(form)).map((form) => `${value} as ${form}`));
}

/** Cuts every journal line that erases conversation `id` out of the copy, as the attacker did. */
async function removeDeleteRecords(lowdbDirectory: string, id: string): Promise<number> {
  let removed = 0;
  for (const file of await readdir(lowdbDirectory)) {
    if (!file.startsWith("journal-")) continue;
    const path = join(lowdbDirectory, file);
    const lines = (await readFile(path, "utf8")).split("\n");
    const kept = lines.filter((line) => !(line.includes('"op":"delete-conversation"') && line.includes(id)));
    removed += lines.length - kept.length;
    await writeFile(path, kept.join("\n"));
  }
  return removed;
}

async function journalText(lowdbDirectory: string): Promise<string> {
  let text = "";
  for (const file of await readdir(lowdbDirectory)) if (file.startsWith("journal-")) text += await readFile(join(lowdbDirectory, file), "utf8");
  return text;
}

describe("erasure on the embedded store", () => {
  it("leaves nothing readable in a copy of the data directory taken right after an unsubscribe, even with the delete record cut out", async () => {
    const dataDir = await temporaryDirectory();
    const runtime = await runtimeOn(await openTestStore("lowdb", { dataDir }));
    const { id, token } = await chatWithPersonalData(runtime);
    const erased = await chat(runtime, id, token, { menu: "unsubscribe" }).expect(200);
    expect(erased.body.status).toBe("erased");

    // The attack: copy the directory of the running store at this moment, journal included.
    const copy = await temporaryDirectory();
    await cp(dataDir, copy, { recursive: true });
    await unlink(join(copy, "lowdb", "process.lock"));
    const copiedJournal = await journalText(join(copy, "lowdb"));
    // The copy still holds every state the conversation went through: the attack is real.
    expect(copiedJournal.split("\n").filter((line) => line.includes('"op":"put-conversation"') && line.includes(id)).length).toBeGreaterThanOrEqual(4);
    expect(await removeDeleteRecords(join(copy, "lowdb"), id)).toBe(1);
    expect(await findPersonalValues(copy, personalValues)).toEqual([]);

    const attacker = await runtimeOn(await openTestStore("lowdb", { dataDir: copy }));
    // The record came back with the delete cut out, but nothing in it opens any more.
    expect(await attacker.store.conversations.get(id)).toBeDefined();
    await exported(attacker, id, token).expect(401);
    await chat(attacker, id, token, { text: "hallo" }).expect(401);
  });

  it("leaves nothing readable of a messenger user in a copy taken right after /stop: not the states, the deliveries or the replies", async () => {
    const dataDir = await temporaryDirectory();
    const telegram = await startFakePlatform("telegram");
    platforms.push(telegram);
    const runtime = await runtimeOn(await openTestStore("lowdb", { dataDir }), telegram);
    await telegramUserWhoUnsubscribed(runtime, telegram);
    // The keys the messages and replies were sealed under go once the confirmation is sent. The
    // vault forgets a key at once and rewrites its segment file in the next round: wait for both.
    await eventually(async () => (await runtime.store.dataKeys.list("transient")).length === 0 && !(await keyFilesHoldTransientKeys(dataDir)));

    const copy = await temporaryDirectory();
    await cp(dataDir, copy, { recursive: true });
    await unlink(join(copy, "lowdb", "process.lock"));
    const sealed = await sealedValuesIn(join(copy, "lowdb"));
    // The journal still holds every delivery, every reply and every state of the conversation.
    expect(sealed.filter((value) => value.context.startsWith("inbound:")).length).toBeGreaterThanOrEqual(6);
    expect(sealed.filter((value) => value.context.startsWith("outbox:")).length).toBeGreaterThanOrEqual(6);
    expect(await findPersonalValues(copy, [...personalValues, String(chatId)])).toEqual([]);

    const attacker = await openTestStore("lowdb", { dataDir: copy });
    try {
      expect(await openable(attacker, sealed)).toEqual([]);
    } finally {
      await attacker.close();
    }
  });

  it("keeps no record naming the user after /stop once the confirmation is sent, and no journal line after the next checkpoint", async () => {
    const dataDir = await temporaryDirectory();
    const telegram = await startFakePlatform("telegram");
    platforms.push(telegram);
    const runtime = await runtimeOn(await openTestStore("lowdb", { dataDir, erasureCheckpointMs: 20 }), telegram);
    await telegramUserWhoUnsubscribed(runtime, telegram);
    expect(await runtime.store.inbox.pending()).toEqual([]);
    expect(await runtime.store.outbox.pending()).toEqual([]);
    expect(await runtime.store.conversations.findByChannelUser("telegram", channelUser)).toBeUndefined();
    // The checkpoint that follows the erasure takes the journal lines that named the user.
    await eventually(async () => (await findPersonalValues(dataDir, [channelUser])).length === 0, 15_000);
    expect(await findPersonalValues(dataDir, [channelUser, String(chatId), ...personalValues])).toEqual([]);
  });
});

/** What a command prints to stdout and stderr, together. */
function printed(): { io: { stdout: (text: string) => void; stderr: (text: string) => void }; text: string } {
  const output = {
    text: "",
    io: {
      stdout: (text: string) => {
        output.text += text;
      },
      stderr: (text: string) => {
        output.text += text;
      },
    },
  };
  return output;
}

describe("the proof ledger outlives the erasure", () => {
  it("accept, give an e-mail, unsubscribe: no personal value in the data directory or the logs, while the ledger shows the consent and the erasure and verifies", async () => {
    const dataDir = await temporaryDirectory();
    const runtime = await runtimeOn(await openTestStore("lowdb", { dataDir }));
    const { id, token } = await chatWithPersonalData(runtime);
    await chat(runtime, id, token, { menu: "unsubscribe" }).expect(200);
    const logs = runtime.logLines.join("\n");
    const person = runtime.ledger.personOf(id);
    await runtime.close();
    runtimes.splice(runtimes.indexOf(runtime), 1);

    expect(await findPersonalValues(dataDir, personalValues)).toEqual([]);
    expect(await findPersonalValuesIn(logs)).toEqual([]);
    const env = { BOTSCHAFT_DATA_DIR: dataDir, BOTSCHAFT_SECRET: "k".repeat(32) };
    const verified = printed();
    expect(await ledgerCommand(env, verified.io, { op: "verify" })).toBe(0);
    expect(verified.text).toBe("Proof ledger intact: 3 entries verify.\n");

    const store = await openTestStore("lowdb", { dataDir });
    const entries = await store.proofLedger.read({});
    await store.close();
    expect(entries.map((entry) => `${entry.type} ${entry.decision ?? entry.reason} ${entry.person === person}`)).toEqual([
      "consent given true",
      "export visitor true",
      "erasure visitor true",
    ]);

    // Someone edits the stored ledger: the decision of the first entry, in every file that holds it.
    let changed = 0;
    for (const file of await readdir(join(dataDir, "lowdb"), { recursive: true })) {
      const path = join(dataDir, "lowdb", String(file));
      const text = await readFile(path, "utf8").catch(() => undefined);
      if (text === undefined || !text.includes('"decision":"given"')) continue;
      await writeFile(path, text.replaceAll('"decision":"given"', '"decision":"declined"'));
      changed += 1;
    }
    expect(changed).toBeGreaterThan(0);
    const broken = printed();
    expect(await ledgerCommand(env, broken.io, { op: "verify" })).toBe(1);
    expect(broken.text).toBe("Proof ledger broken: entry 1 was changed (0 entries before it verify).\n");
  });
});

describe("the requests desk", () => {
  it("finds one person by e-mail across the web and Telegram, with labels and no values, and erases both; a second search finds nothing and says so", async () => {
    const telegram = await startFakePlatform("telegram");
    platforms.push(telegram);
    const runtime = await runtimeOn(await openTestStore("memory"), telegram);
    const web = await chatWithPersonalData(runtime);
    await deliver(runtime, telegram, "/start", 1);
    await deliver(runtime, telegram, "c:accept", 2);
    await deliver(runtime, telegram, name, 3);
    // The phone in national form: the same person as +49 170 1234567 in a German flow.
    await deliver(runtime, telegram, "0170 1234567", 4);
    await deliver(runtime, telegram, email.toUpperCase(), 5);
    await runtime.settled();
    const onTelegram = await runtime.store.conversations.findByChannelUser("telegram", channelUser);
    if (!onTelegram) throw new Error("no Telegram conversation");

    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const asDpo = (method: "get" | "post", path: string) => request(runtime.app)[method](path).set({ cookie: dpo.cookie, "x-csrf-token": dpo.csrf });
    const opened = await asDpo("post", "/api/v1/privacy/requests").send({ email: ` ${email} ` }).expect(201);
    expect(opened.body).toMatchObject({ id: expect.any(String), deadline: expect.stringMatching(/^\d{4}-/), reminder: false });
    expect(opened.body.conversations.map((found: { id: string; channel: string }) => `${found.channel} ${found.id}`).sort()).toEqual([`telegram ${onTelegram.id}`, `web ${web.id}`].sort());
    expect(opened.body.conversations[0]).toEqual({
      id: expect.any(String),
      flow: "contact",
      channel: expect.any(String),
      created: expect.any(String),
      fields: ["Name", "Telefonnummer", "E-Mail-Adresse"],
      correctable: [
        { field: "name", label: "Name" },
        { field: "phone", label: "Telefonnummer" },
        { field: "email", label: "E-Mail-Adresse" },
      ],
      person: runtime.ledger.personOf(opened.body.conversations[0].id),
    });
    expect(await findPersonalValuesIn(JSON.stringify(opened.body), [...personalValues, "1701234567"])).toEqual([]);
    const byPhone = await asDpo("post", "/api/v1/privacy/requests").send({ phone: "+49 170 1234567" }).expect(201);
    expect(byPhone.body.conversations).toHaveLength(2);
    const again = await asDpo("post", "/api/v1/privacy/requests").send({ email }).expect(200);
    expect(again.body).toMatchObject({ id: opened.body.id, duplicate: true });

    const file = await asDpo("get", `/api/v1/privacy/requests/${opened.body.id}/export`).expect(200);
    expect(file.body.conversations.map((data: { channel: string }) => data.channel).sort()).toEqual(["telegram", "web"]);
    const erased = await asDpo("post", `/api/v1/privacy/requests/${opened.body.id}/erase`).expect(200);
    expect(erased.body).toMatchObject({ status: "done", conversations: [] });
    expect(erased.body.outcomes.map((outcome: { outcome: string }) => outcome.outcome)).toEqual(["exported", "erased 2"]);
    expect(await runtime.store.conversations.get(web.id)).toBeUndefined();
    expect(await runtime.store.conversations.get(onTelegram.id)).toBeUndefined();

    const nothing = await asDpo("post", "/api/v1/privacy/requests").send({ email }).expect(201);
    expect(nothing.body).toMatchObject({ conversations: [], outcomes: [{ outcome: "nothing-stored", at: expect.any(String) }] });
    await asDpo("post", "/api/v1/privacy/requests").send({ email: "kein-at-zeichen" }).expect(400);
    await asDpo("post", "/api/v1/privacy/requests").send({ email, phone }).expect(400);
    const extended = await asDpo("post", `/api/v1/privacy/requests/${nothing.body.id}/extend`).send({ reason: "Rückfrage beim Betroffenen" }).expect(200);
    expect(Date.parse(extended.body.deadline)).toBeGreaterThan(Date.parse(nothing.body.deadline));

    await runtime.ledger.settled();
    const entries = [];
    for await (const entry of runtime.ledger.entries()) entries.push(entry);
    expect(entries.filter((entry) => entry.request === opened.body.id).map((entry) => `${entry.type} ${entry.reason}`)).toEqual([
      "request found 2",
      "export request",
      "export request",
      "erasure request",
      "erasure request",
      "request erased 2",
    ]);
    expect(entries.find((entry) => entry.request === nothing.body.id)?.reason).toBe("nothing-stored");
    expect((await runtime.ledger.verify()).ok).toBe(true);
    const editor = await runtime.member(["editor"], "eddi@muster.example");
    await request(runtime.app).post("/api/v1/privacy/requests").set({ cookie: editor.cookie, "x-csrf-token": editor.csrf }).send({ email }).expect(403);
  });
});

describe("re-applying erasures to a restored backup", () => {
  it("erases again, with `erasures export` and `erasures apply`, what a backup of the data directory from before holds", async () => {
    const dataDir = await temporaryDirectory();
    const runtime = await runtimeOn(await openTestStore("lowdb", { dataDir }));
    const { id, token } = await chatWithPersonalData(runtime);
    const kept = await chatWithPersonalData(runtime);
    await runtime.close();
    runtimes.splice(runtimes.indexOf(runtime), 1);
    const backup = await temporaryDirectory();
    await cp(dataDir, backup, { recursive: true });

    const live = await runtimeOn(await openTestStore("lowdb", { dataDir }));
    await chat(live, id, token, { menu: "unsubscribe" }).expect(200);
    await live.close();
    runtimes.splice(runtimes.indexOf(live), 1);

    const log = printed();
    expect(await erasures({ BOTSCHAFT_DATA_DIR: dataDir }, log.io, { op: "export" })).toBe(0);
    expect(log.text).toMatch(/^[0-9a-f]{64} \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    expect(log.text).not.toContain(id);
    const logFile = join(await temporaryDirectory(), "erasures.txt");
    await writeFile(logFile, log.text);

    const applied = printed();
    expect(await erasures({ BOTSCHAFT_DATA_DIR: backup }, applied.io, { op: "apply", file: logFile })).toBe(0);
    expect(applied.text).toBe(`Erased 1 conversation(s) or key(s) of the 1 erasure(s) in ${logFile}.\n`);
    const restored = await runtimeOn(await openTestStore("lowdb", { dataDir: backup }));
    await exported(restored, id, token).expect(401);
    await exported(restored, kept.id, kept.token).expect(200);
  });

  it("refuses a log line that is not a digest, naming the line, and changes nothing", async () => {
    const dataDir = await temporaryDirectory();
    const log = join(dataDir, "erasures.txt");
    await writeFile(log, `# exported before the restore\n${"a".repeat(64)} 2026-03-01T10:00:00.000Z\nnot a digest\n`);
    const output = printed();
    expect(await erasures({ BOTSCHAFT_DATA_DIR: dataDir }, output.io, { op: "apply", file: log })).toBe(1);
    expect(output.text).toBe(`botschaft: ${log} line 3 does not start with a digest of 64 hex digits.\n`);
  });
});

// PostgreSQL -----------------------------------------------------------------------------------

const run = promisify(execFile);
const schemas: string[] = [];
const databases: string[] = [];

afterAll(async () => {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

/**
 * A database of its own: a transaction another test holds open in the shared one may still see
 * a deleted row, and PostgreSQL then keeps it through any vacuum (as it would for a backup
 * under way; see docs/running.md#what-erasure-guarantees-on-each-store).
 */
async function ownDatabase(): Promise<string> {
  const database = `botschaft_test_${randomBytes(6).toString("hex")}`;
  databases.push(database);
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function freshSchema(): string {
  const schema = `botschaft_test_${randomBytes(6).toString("hex")}`;
  schemas.push(schema);
  return schema;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The raw files PostgreSQL keeps a table in, read by the server (superuser only), after a checkpoint wrote the buffers out. */
async function tableFiles(client: pg.Client, tables: readonly string[]): Promise<string> {
  await client.query("CHECKPOINT");
  let raw = "";
  for (const table of tables) {
    const { rows } = await client.query<{ bytes: Buffer }>("SELECT pg_read_binary_file(pg_relation_filepath($1::regclass)) AS bytes", [table]);
    raw += rows[0]?.bytes.toString("latin1") ?? "";
  }
  return raw;
}

async function dump(schema: string): Promise<string> {
  const { stdout } = await run("pg_dump", ["--schema", schema, "--no-owner", "--no-privileges", testDatabaseUrl], { maxBuffer: 64 * 2 ** 20 });
  return stdout;
}

/** Restores a dump of one schema into another, as an operator restores a backup into a fresh database. */
async function restore(text: string, from: string, to: string): Promise<void> {
  const child = execFile("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-f", "-", testDatabaseUrl]);
  child.stdin?.end(text.replaceAll(from, to));
  const [code] = (await once(child, "exit")) as [number];
  expect(code).toBe(0);
}

const superuser = await admin(async (client) => (await client.query<{ rolsuper: boolean }>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).rows[0]?.rolsuper === true);

describe("erasure on PostgreSQL", () => {
  it("leaves a dump taken before the erasure able to open it only until the erasure log is re-applied; a dump taken after holds nothing of it", async () => {
    const liveSchema = freshSchema();
    const live = await openTestStore("postgres", { schema: liveSchema });
    const runtime = await runtimeOn(live);
    const { id, token } = await chatWithPersonalData(runtime);
    const wrapped = (await live.dataKeys.get(id))?.wrapped ?? "";
    expect(wrapped).not.toBe("");
    const before = await dump(liveSchema);
    expect(before).toContain(wrapped);

    await chat(runtime, id, token, { menu: "unsubscribe" }).expect(200);
    const after = await dump(liveSchema);
    expect(after).not.toContain(wrapped);
    expect(after).not.toContain(id);
    expect(await findPersonalValuesIn(after)).toEqual([]);

    // The backup from before, restored: it holds the key, so with the secret it opens — that is
    // what a backup is. Re-applying the live store's erasure log puts the erasure back.
    const restoredSchema = freshSchema();
    await restore(before, liveSchema, restoredSchema);
    const restored = await runtimeOn(await openTestStore("postgres", { schema: restoredSchema }));
    const reopened = await exported(restored, id, token).expect(200);
    expect(reopened.body.fields.map((field: { value: string }) => field.value)).toEqual(personalValues);
    const log = await live.dataKeys.erasures();
    expect(log.map((entry) => entry.digest)).not.toContain(id);
    expect(await restored.store.dataKeys.reapply(log.map((entry) => entry.digest))).toBe(1);
    await exported(restored, id, token).expect(401);
  });

  it.runIf(superuser)("takes the erased key out of every file of the key table, and leaves dead rows of the conversation that open with nothing", async () => {
    const connectionString = await ownDatabase();
    const schema = "botschaft";
    const live = await PostgresStore.open({ connectionString, schema, poolSize: 4 });
    const runtime = await runtimeOn(live);
    const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };
    for (let index = 0; index < 200; index++) {
      await live.dataKeys.create({ id: `neighbour-${index}`, kind: "conversation", wrapped: randomBytes(60).toString("base64url"), createdAt: new Date().toISOString() });
    }
    const { id, token } = await chatWithPersonalData(runtime);
    const wrapped = (await live.dataKeys.get(id))?.wrapped ?? "";
    // Rewritten in place, the key becomes the row placed last on its page, whose bytes a plain
    // VACUUM leaves in the page's free space; its old version is a dead row besides.
    await admin((client) => client.query(`UPDATE ${schema}.data_keys SET wrapped = wrapped WHERE id = $1`, [id]));
    const partitions = Array.from({ length: keyPartitions }, (_, index) => `${schema}.data_keys_${String(index).padStart(2, "0")}`);
    expect(await admin((client) => tableFiles(client, partitions))).toContain(wrapped);

    await chat(runtime, id, token, { menu: "unsubscribe" }).expect(200);
    // Gone with the first rewrite, unless a transaction on the server that could still see the
    // row was open at that moment; then with a later one (the recheck, run early here).
    await eventually(async () => {
      await live.compactErasedKeys();
      return !(await admin((client) => tableFiles(client, partitions))).includes(wrapped);
    }, 10_000);

    // Not vacuumed: the conversation's old row versions are still in the table's file, sealed.
    const conversationFile = await admin((client) => tableFiles(client, [`${schema}.conversations`]));
    const deadStates = [...conversationFile.matchAll(new RegExp(`s1\\.${id}\\.[A-Za-z0-9_-]{40,}`, "g"))].map((match) => ({ sealed: match[0], context: id }));
    expect(deadStates.length).toBeGreaterThanOrEqual(4);
    expect(await findPersonalValuesIn(conversationFile)).toEqual([]);
    expect(await openable(live, deadStates)).toEqual([]);
    // About 3–5 s alone; beside the other PostgreSQL tests on two busy cores (VACUUM FULL, whole table files read back) up to 30 s.
  }, 60_000);

  it("keeps no inbox, outbox or conversation row naming a messenger user after /stop", async () => {
    const schema = freshSchema();
    const telegram = await startFakePlatform("telegram");
    platforms.push(telegram);
    const runtime = await runtimeOn(await openTestStore("postgres", { schema }), telegram);
    await telegramUserWhoUnsubscribed(runtime, telegram);
    await eventually(async () => (await runtime.store.dataKeys.list("transient")).length === 0);
    const rows = await admin(async (client) => ({
      inbox: (await client.query(`SELECT * FROM ${schema}.inbox`)).rows,
      outbox: (await client.query(`SELECT * FROM ${schema}.outbox`)).rows,
      conversations: (await client.query(`SELECT * FROM ${schema}.conversations`)).rows,
    }));
    expect(rows.inbox).toHaveLength(6);
    for (const row of rows.inbox) expect(row).toMatchObject({ pending: false, conversation_key: null, sealed_delivery: null });
    expect(rows.outbox).toEqual([]);
    expect(rows.conversations).toEqual([]);
    expect(await findPersonalValuesIn(await dump(schema), [channelUser, String(chatId), ...personalValues])).toEqual([]);
  });
});

describe("the proof ledger outlives the erasure on PostgreSQL", () => {
  it("accept, give an e-mail, unsubscribe: no personal value in a pg_dump of the schema or the logs, the e-mail in no case form, while the ledger API shows the consent and the erasure and `ledger verify` passes", async () => {
    const schema = freshSchema();
    const runtime = await runtimeOn(await openTestStore("postgres", { schema }));
    // Typed in mixed case: the blind index keys the lower-case form, so both must be gone.
    const typed = "Erika.Mustermann@Example.ORG";
    const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "contact" }).expect(201);
    const { id, token } = started.body as { id: string; token: string };
    for (const body of [{ choice: "accept" }, { text: name }, { text: phone }, { text: typed }]) await chat(runtime, id, token, body).expect(200);
    const data = await exported(runtime, id, token).expect(200);
    const stored = data.body.fields.map((field: { value: string }) => field.value) as string[];
    expect(stored).toHaveLength(3);
    const values = [...new Set([...stored, name, phone, "+491701234567", "1701234567", typed, typed.toLowerCase(), typed.toUpperCase(), email])];
    // The walk really stored something in this schema: the conversation, and the e-mail's and phone's blind index rows.
    const before = await dump(schema);
    expect(before).toContain(id);
    const indexed = await admin(async (client) => Number((await client.query(`SELECT count(*) AS n FROM ${schema}.blind_index`)).rows[0]?.n));
    expect(indexed).toBeGreaterThanOrEqual(2);

    await chat(runtime, id, token, { menu: "unsubscribe" }).expect(200);
    await runtime.ledger.settled();
    const after = await dump(schema);
    expect(after).not.toContain(id);
    expect(await admin(async (client) => Number((await client.query(`SELECT count(*) AS n FROM ${schema}.blind_index`)).rows[0]?.n))).toBe(0);
    expect(await findPersonalValuesIn(after, values)).toEqual([]);
    expect(await findPersonalValuesIn(runtime.logLines.join("\n"), values)).toEqual([]);

    const person = runtime.ledger.personOf(id);
    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const ledger = await request(runtime.app).get("/api/v1/privacy/ledger?format=json").set("cookie", dpo.cookie).expect(200);
    expect(ledger.body.map((entry: { type: string; decision?: string; reason?: string; person: string }) => `${entry.type} ${entry.decision ?? entry.reason} ${entry.person === person}`)).toEqual([
      "consent given true",
      "export visitor true",
      "erasure visitor true",
    ]);
    expect(await findPersonalValuesIn(JSON.stringify(ledger.body), values)).toEqual([]);

    // `botschaft ledger verify` on PostgreSQL, beside the running server.
    const env = { DATABASE_URL: testDatabaseUrl, BOTSCHAFT_DATABASE_SCHEMA: schema, BOTSCHAFT_SECRET: "k".repeat(32) };
    const verified = printed();
    expect(await ledgerCommand(env, verified.io, { op: "verify" })).toBe(0);
    expect(verified.text).toBe("Proof ledger intact: 3 entries verify.\n");

    // And it would say so if someone changed an entry in the database.
    await admin((client) => client.query(`UPDATE ${schema}.proof_ledger SET decision = 'declined' WHERE seq = 1`));
    const broken = printed();
    expect(await ledgerCommand(env, broken.io, { op: "verify" })).toBe(1);
    expect(broken.text).toBe("Proof ledger broken: entry 1 was changed (0 entries before it verify).\n");
  });
});

// Data written before data keys -----------------------------------------------------------------

/**
 * A conversation as the runtime stored it before data keys: its state sealed under the runtime's
 * state key, which every copy and backup opens as long as the secret does.
 */
async function conversationSealedTheOldWay(runtime: TestRuntime): Promise<{ id: string; token: string }> {
  const runnable = await runtime.catalog.latest("contact");
  const context = { now: new Date().toISOString(), hashText: (text: string) => createHash("sha256").update(text).digest("hex") };
  let result = startConversation(runnable, { channel: "web" }, context);
  for (const event of [{ type: "choice", value: "accept" }, { type: "text", text: name }] as const) result = step(runnable, result.state, event, context);
  const id = randomBytes(16).toString("base64url");
  const secret = generateBearerToken();
  await runtime.store.conversations.create({
    id,
    tokenHash: hashBearerToken(testKeys.token.current.key, secret),
    flow: "contact",
    version: runnable.version,
    sealedState: sealJson(result.state, testKeys.stateEncryption, id),
    channel: "web",
    lastActivityAt: result.state.lastActivityAt,
    expiresAt: deleteAfter(runnable.flow.privacy.retention, result.state.lastActivityAt),
  });
  return { id, token: `${id}.${secret}` };
}

/** A pending Telegram delivery and an unsent reply as the hub stored them before transient keys. */
async function messengerEntriesSealedTheOldWay(store: Store): Promise<void> {
  const key = "legacy-delivery";
  const delivery = { dedupeKey: "legacy", channelUserId: String(chatId), order: 1, sentAt: new Date().toISOString(), input: { kind: "start" } };
  await store.inbox.accept({ channel: "telegram", key, conversationKey: channelUser, order: 1, sealedDelivery: sealJson(delivery, testKeys.stateEncryption, `inbound:telegram:${key}`), receivedAt: new Date().toISOString() });
  await store.inbox.accept({ channel: "telegram", key: "legacy-answered", conversationKey: channelUser, order: 0, sealedDelivery: "done", receivedAt: new Date().toISOString() });
  const call = { method: "sendMessage", body: { chat_id: String(chatId), text: "a reply stored before the upgrade" } };
  await store.inbox.complete({
    channel: "telegram",
    key: "legacy-answered",
    conversation: [],
    outbox: [{ id: "legacy-answered:0", channel: "telegram", conversationKey: channelUser, sealedCall: sealJson(call, testKeys.stateEncryption, "outbox:legacy-answered:0"), attempts: 0, nextAttemptAt: new Date().toISOString() }],
  });
}

describe.each(["lowdb", "postgres"] as const)("data written before data keys, on %s", (kind) => {
  async function oldStore(): Promise<{ open: () => Promise<Store> }> {
    if (kind === "postgres") {
      const schema = freshSchema();
      return { open: () => openTestStore("postgres", { schema }) };
    }
    const dataDir = await temporaryDirectory();
    return { open: () => openTestStore("lowdb", { dataDir }) };
  }

  it("keeps opening conversations sealed the old way, gives each a key of its own on its next turn, and erases them", async () => {
    const { open } = await oldStore();
    const runtime = await runtimeOn(await open());
    const { id, token } = await conversationSealedTheOldWay(runtime);
    const send = (body: object) => chat(runtime, id, token, body);
    const before = await exported(runtime, id, token).expect(200);
    expect(before.body.fields.map((field: { value: string }) => field.value)).toEqual([name]);
    expect(await runtime.store.dataKeys.get(id)).toBeUndefined();

    await send({ text: phone }).expect(200);
    const upgraded = await runtime.store.conversations.get(id);
    expect(sealedKeyId(upgraded?.sealedState ?? "")).toBe(id);
    expect(await runtime.store.dataKeys.get(id)).toBeDefined();
    await send({ text: email }).expect(200);
    const after = await exported(runtime, id, token).expect(200);
    expect(after.body.fields.map((field: { value: string }) => field.value)).toEqual(personalValues);

    expect((await send({ menu: "unsubscribe" }).expect(200)).body.status).toBe("erased");
    expect(await runtime.store.dataKeys.get(id)).toBeUndefined();
    expect(await runtime.store.conversations.get(id)).toBeUndefined();
  });

  it("processes a delivery and sends a reply that were stored sealed the old way", async () => {
    const { open } = await oldStore();
    const store = await open();
    await messengerEntriesSealedTheOldWay(store);
    const telegram = await startFakePlatform("telegram");
    platforms.push(telegram);
    const runtime = await runtimeOn(store, telegram);
    await eventually(() => telegram.calls.filter((call) => call.method === "sendMessage").length >= 2);
    await runtime.settled();
    const texts = telegram.calls.filter((call) => call.method === "sendMessage").map((call) => call.body.text);
    expect(texts).toEqual(["a reply stored before the upgrade", "Dürfen wir Namen, Telefonnummer und E-Mail-Adresse speichern?"]);
  });
});
