import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime } from "../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

async function started() {
  const runtime = await createTestRuntime({ logLevel: "trace" });
  runtimes.push(runtime);
  return runtime;
}

/** Accepts the callback consent, gives a name and a phone number; returns the conversation's id and a sender. */
async function consentedChat(runtime: TestRuntime) {
  const chat = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
  const send = (body: object) => request(runtime.app).post(`/api/v1/conversations/${chat.body.id}/messages`).set("authorization", `Bearer ${chat.body.token}`).send(body).expect(200);
  await send({ choice: "Rückruf anfordern" });
  await send({ choice: "accept" });
  await send({ text: "Erika Mustermann" });
  await send({ text: "+49 170 1234567" });
  return { id: chat.body.id as string, token: chat.body.token as string, send };
}

describe("the proof ledger", () => {
  it("proves a consent and the unsubscribe after the conversation is gone, for the DPO as JSON and CSV", async () => {
    const runtime = await started();
    const chat = await consentedChat(runtime);
    await chat.send({ menu: "unsubscribe" });
    await runtime.ledger.settled();
    expect(await runtime.store.conversations.get(chat.id)).toBeUndefined();

    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const json = await request(runtime.app).get("/api/v1/privacy/ledger?format=json").set("cookie", dpo.cookie).expect(200);
    const person = runtime.ledger.personOf(chat.id);
    expect(json.body).toEqual([
      expect.objectContaining({ seq: 1, type: "consent", decision: "given", purpose: "Rückruf zu Ihrem Anliegen", flow: "callback-request", channel: "web", person, textHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      expect.objectContaining({ seq: 2, type: "erasure", reason: "visitor", flow: "callback-request", channel: "web", person }),
      // The CRM that received name and phone was asked to erase them too (docs/privacy.md#recipients-told).
      expect.objectContaining({ seq: 3, type: "notice", reason: "erasure: Muster CRM GmbH", flow: "callback-request", channel: "web", person }),
    ]);
    const text = JSON.stringify(json.body);
    for (const value of ["Erika", "1234567", chat.id]) expect(text).not.toContain(value);

    const csv = await request(runtime.app).get("/api/v1/privacy/ledger?format=csv").set("cookie", dpo.cookie).expect(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = csv.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("seq,time,type,decision,purpose,flow,flowVersion,channel,person,textHash,reason,request,prev,hash");
    expect(lines[1]).toContain(",consent,given,Rückruf zu Ihrem Anliegen,callback-request,");
    expect(lines).toHaveLength(4);

    const own = await request(runtime.app).get(`/api/v1/privacy/ledger?person=${encodeURIComponent(person)}`).set("cookie", dpo.cookie).expect(200);
    expect(own.body).toHaveLength(3);
    const verified = await request(runtime.app).post("/api/v1/privacy/ledger/verify").set({ cookie: dpo.cookie, "x-csrf-token": dpo.csrf }).expect(200);
    expect(verified.body).toEqual({ ok: true, entries: 3 });
    const trail = await request(runtime.app).get("/api/v1/audit?action=privacy.ledger.read").set("cookie", dpo.cookie).expect(200);
    expect(trail.body).toHaveLength(3);
    for (const line of runtime.logLines) for (const value of ["Erika", "1234567"]) expect(line).not.toContain(value);
  });

  it("records declines, withdrawals, exports and retention erasures", async () => {
    const runtime = await started();
    const declined = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
    const sendDeclined = (body: object) => request(runtime.app).post(`/api/v1/conversations/${declined.body.id}/messages`).set("authorization", `Bearer ${declined.body.token}`).send(body).expect(200);
    await sendDeclined({ choice: "Rückruf anfordern" });
    await sendDeclined({ choice: "decline" });
    const chat = await consentedChat(runtime);
    await request(runtime.app).get(`/api/v1/conversations/${chat.id}/data`).set("authorization", `Bearer ${chat.token}`).expect(200);
    await chat.send({ menu: "my-data" });
    await chat.send({ choice: "my-data:withdraw:consent-callback" });
    runtime.clock.advance(400 * 86_400_000);
    const { sweepExpired } = await import("../app/retention/sweep-expired.ts");
    expect(await sweepExpired(runtime.store.conversations, runtime.clock(), runtime.ledger)).toBe(2);
    await runtime.ledger.settled();
    const entries = [];
    for await (const entry of runtime.ledger.entries()) entries.push(entry);
    expect(entries.map((entry) => `${entry.type} ${entry.decision ?? entry.reason}`)).toEqual([
      "consent declined",
      "consent given",
      "export visitor",
      "consent withdrawn",
      "notice withdrawal: Muster CRM GmbH",
      // Retention tells no processor: its own contract limits how long it keeps the data.
      "erasure retention",
      "erasure retention",
    ]);
    expect((await runtime.ledger.verify()).ok).toBe(true);
  });

  it("halts on a tampered chain, logs it loudly, holds new entries until an admin acknowledges", async () => {
    const runtime = await started();
    await consentedChat(runtime);
    await runtime.ledger.settled();
    // Someone with database access changes the decision.
    const [entry] = await runtime.store.proofLedger.read({});
    if (!entry) throw new Error("no entry");
    const { head } = await runtime.store.proofLedger.status();
    await runtime.store.proofLedger.prune("9999-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z");
    await runtime.store.proofLedger.append([{ ...entry, decision: "declined" }], head);
    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const admin = await runtime.member(["admin"], "chefin@muster.example");
    const verified = await request(runtime.app).post("/api/v1/privacy/ledger/verify").set({ cookie: dpo.cookie, "x-csrf-token": dpo.csrf }).expect(200);
    expect(verified.body).toMatchObject({ ok: false, message: expect.stringMatching(/^entry \d+ /) });
    expect(runtime.logLines.some((line) => line.includes('"level":60') && line.includes("PROOF LEDGER TAMPERED"))).toBe(true);

    await consentedChat(runtime);
    await runtime.ledger.settled();
    expect(await runtime.store.proofLedger.held()).toHaveLength(1);
    await request(runtime.app).post("/api/v1/privacy/ledger/acknowledge").set({ cookie: dpo.cookie, "x-csrf-token": dpo.csrf }).expect(403);
    const acknowledged = await request(runtime.app).post("/api/v1/privacy/ledger/acknowledge").set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).expect(200);
    expect(acknowledged.body).toEqual({ acknowledged: true, released: 1 });
    const status = await request(runtime.app).get("/api/v1/privacy/ledger/status").set("cookie", dpo.cookie).expect(200);
    expect(status.body.halted).toBeUndefined();
    const after = await runtime.store.proofLedger.read({});
    expect(after.slice(-2).map((item) => item.type)).toEqual(["acknowledgement", "consent"]);
    expect(after.at(-2)?.reason).toContain("acknowledged by chefin@muster.example");
  });
});

describe("the DPO's paperwork", () => {
  it("gives the passage, the Art. 30 record, the measures from the configuration, the deletion concept and an agreement template per processor", async () => {
    const runtime = await started();
    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const editor = await runtime.member(["editor"], "eddi@muster.example");
    await request(runtime.app).get("/api/v1/privacy/paperwork/callback-request").set("cookie", editor.cookie).expect(403);
    const de = await request(runtime.app).get("/api/v1/privacy/paperwork/callback-request").set("cookie", dpo.cookie).expect(200);
    expect(de.body).toMatchObject({ flow: "callback-request", lang: "de", version: expect.stringMatching(/^sha256:/) });
    expect(de.body.policy).toContain("Art. 7 Abs. 3 DSGVO");
    expect(de.body.record).toContain("| Kategorien personenbezogener Daten | Name, Telefonnummer |");
    expect(de.body.measures).toContain("Schlüsseldatei im Datenverzeichnis");
    expect(de.body.measures).toContain("Nachweisbuch 1095 Tage");
    expect(de.body.measures).toContain("Backups des Datenverzeichnisses");
    expect(de.body.deletion).toContain("| Angaben im Flow „Rückruf anfordern“: Name, Telefonnummer | Gesprächszustand, verschlüsselt |");
    expect(de.body.agreements).toContain("## Vertrag über die Auftragsverarbeitung (Art. 28 DSGVO) — Vorlage: Muster CRM GmbH");
    const en = await request(runtime.app).get("/api/v1/privacy/paperwork/callback-request?lang=en").set("cookie", dpo.cookie).expect(200);
    expect(en.body.deletion).toContain("| Data | Where | Deleted when | Period |");
    await request(runtime.app).get("/api/v1/privacy/paperwork/nothing-here").set("cookie", dpo.cookie).expect(404);
  });
});
