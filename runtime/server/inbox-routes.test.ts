import type { Server } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeClock } from "../testing/fake-clock.ts";
import { createTestRuntime, type TestMember, type TestRuntime } from "../testing/create-test-runtime.ts";
import { type EventStreamClient, openEventStreamClient } from "../testing/event-stream-client.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";


/** The helpdesk flow whose handover shows the agent the conversation before it. */
const historyFlow = helpdeskFlow.replace("flow: helpdesk", "flow: helpdesk-history").replace("    shares: [thema]\n", "    shares: [thema]\n    history: true\n");

describe("the live-chat inbox over HTTP", () => {
  let runtime: TestRuntime;
  let server: Server;
  let base: string;
  let agent: TestMember;
  let other: TestMember;
  let admin: TestMember;
  let editor: TestMember;
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    runtime = await createTestRuntime({ flows: [{ id: "helpdesk", yaml: helpdeskFlow }, { id: "helpdesk-history", yaml: historyFlow }], clock: createFakeClock({ at: "2026-03-02T09:00:00.000Z" }), logLevel: "silent" });
    server = runtime.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    [agent, other, admin, editor] = await Promise.all([runtime.member(["agent"]), runtime.member(["agent"]), runtime.member(["admin"]), runtime.member(["editor"])]);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    server.closeAllConnections();
    server.close();
    await runtime.close();
  });

  const as = (member: TestMember) => ({ cookie: member.cookie, "x-csrf-token": member.csrf });

  async function visitorAtHandover(flow = "helpdesk"): Promise<{ id: string; token: string }> {
    const started = await request(runtime.app).post("/api/v1/conversations").send({ flow }).expect(201);
    const { id, token } = started.body as { id: string; token: string };
    const handed = await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send({ choice: "rechnung" }).expect(200);
    expect(handed.body.status).toBe("handover");
    return { id, token };
  }

  function visitorStream(id: string, token: string, lastEventId?: number): EventStreamClient {
    const stream = openEventStreamClient(`${base}/api/v1/conversations/${id}/events`, { authorization: `Bearer ${token}`, ...(lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) }) });
    streams.push(stream);
    return stream;
  }

  const say = (id: string, token: string, text: string) => request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send({ text });

  it("queues the conversation, shows the agent only what the step shares and what was written since, and audits every open", async () => {
    const { id, token } = await visitorAtHandover();
    expect((await say(id, token, "Meine Rechnung ist doppelt.").expect(200)).body.messages).toEqual([]);
    const queue = await request(runtime.app).get("/api/v1/inbox").set(as(agent)).expect(200);
    expect(queue.body.conversations).toContainEqual(expect.objectContaining({ id, flow: "helpdesk", channel: "web", state: "waiting", text: "Ich verbinde Sie mit unserem Team.", mine: false }));
    const view = await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(agent)).expect(200);
    expect(view.body.shares).toEqual({ thema: "rechnung" });
    // Agents read the field's label in the flow's language, not its id.
    expect(view.body.labels).toEqual({ thema: "Thema" });
    expect(view.body.messages).toEqual([{ seq: 1, from: "visitor", at: expect.any(String), message: { type: "text", text: "Meine Rechnung ist doppelt." } }]);
    // Nothing from before the handover: the step does not say so.
    expect(view.body).not.toHaveProperty("history");
    await request(runtime.app).get(`/api/v1/inbox/${id}?after=1`).set(as(agent)).expect(200);
    const opens = (await runtime.audit.list({})).filter((entry) => entry.action === "live-chat.open" && entry.target === id);
    expect(opens).toHaveLength(1);
    expect(opens[0]?.actor).toBe(agent.email);
    expect(JSON.stringify(await runtime.audit.list({}))).not.toContain("doppelt");
  });

  it("shows the conversation before the handover only when the step says so, opened for the full view and audited each time", async () => {
    expect(historyFlow).toContain("history: true");
    const { id, token } = await visitorAtHandover("helpdesk-history");
    await say(id, token, "Meine Rechnung ist doppelt.").expect(200);
    const view = await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(agent)).expect(200);
    expect(view.body.history).toEqual([
      { from: "bot", at: expect.any(String), message: { type: "choice", text: "Worum geht es?", options: [{ label: "Rechnung", value: "rechnung" }] } },
      { from: "visitor", at: expect.any(String), message: { type: "text", text: "Rechnung" } },
      { from: "bot", at: expect.any(String), message: { type: "text", text: "Ich verbinde Sie mit unserem Team." } },
    ]);
    // The live chat itself stays apart from it.
    expect(view.body.messages.map((entry: { message: { text: string } }) => entry.message.text)).toEqual(["Meine Rechnung ist doppelt."]);
    const followUp = await request(runtime.app).get(`/api/v1/inbox/${id}?after=1`).set(as(agent)).expect(200);
    expect(followUp.body).not.toHaveProperty("history");
    const historyOpens = () => runtime.audit.list({}).then((entries) => entries.filter((entry) => entry.action === "live-chat.history" && entry.target === id));
    expect((await historyOpens()).map((entry) => entry.actor)).toEqual([agent.email]);
    await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(admin)).expect(200);
    expect(await historyOpens()).toHaveLength(2);
    expect(JSON.stringify(await runtime.audit.list({}))).not.toContain("Worum geht es");
    // It is the visitor's data: in the export, and gone with the conversation.
    const data = await request(runtime.app).get(`/api/v1/conversations/${id}/data`).set("authorization", `Bearer ${token}`).expect(200);
    expect(data.body.history.map((entry: { from: string }) => entry.from)).toEqual(["bot", "visitor", "bot"]);
    await request(runtime.app).delete(`/api/v1/conversations/${id}`).set("authorization", `Bearer ${token}`).expect(204);
    const erased = await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(agent)).expect(200);
    expect(erased.body).toMatchObject({ ended: "erased", messages: [] });
    expect(erased.body).not.toHaveProperty("history");
    expect((await runtime.store.liveChats.get(id))?.sealedHistory).toBeUndefined();
  });

  it("lets the claimer write to the visitor's stream as text, refuses other agents with 409, and lets an admin take it over", async () => {
    const { id, token } = await visitorAtHandover();
    const stream = visitorStream(id, token);
    expect(await stream.opened).toBe(200);
    const claimed = await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    expect(claimed.body).toMatchObject({ state: "claimed", mine: true, claimedByName: agent.email });
    expect((await stream.next()).data).toEqual({ type: "text", text: "Jemand aus unserem Team ist jetzt für Sie da." });
    const taken = await request(runtime.app).get("/api/v1/inbox").set(as(other)).expect(200);
    expect(taken.body.conversations).toContainEqual(expect.objectContaining({ id, state: "claimed", mine: false, claimedByName: agent.email }));
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(other)).expect(409);
    const refused = await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(other)).send({ text: "Ich auch!" }).expect(409);
    expect(refused.body.error.message).toContain(agent.email);
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "<b>Hallo</b> & willkommen" }).expect(201);
    const event = await stream.next();
    expect(event).toEqual({ id: "2", event: "message", data: { type: "text", text: "<b>Hallo</b> & willkommen" } });
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(admin)).expect(200);
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Noch da?" }).expect(409);
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(admin)).send({ text: "Ich übernehme." }).expect(201);
    expect((await stream.next()).data).toEqual({ type: "text", text: "Ich übernehme." });
    expect((await runtime.audit.list({})).some((entry) => entry.action === "live-chat.reassign" && entry.target === id)).toBe(true);
  });

  it("reads the store for the visitor's stream when others write, not for the visitor's own messages", async () => {
    const { id, token } = await visitorAtHandover();
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    const stream = visitorStream(id, token);
    expect(await stream.opened).toBe(200);
    expect((await stream.next()).data).toMatchObject({ type: "text" });
    const store = runtime.store.liveChats;
    const reads: string[] = [];
    const messages = store.messages.bind(store);
    store.messages = (conversation, after) => {
      // The stream reads from the last number it sent; the agent's first answer reads the whole chat once (its question goes to the FAQ), not counted here.
      if (conversation === id && after !== undefined) reads.push(`after ${after}`);
      return messages(conversation, after);
    };
    try {
      for (const text of ["Erste Frage", "Zweite Frage", "Dritte Frage"]) await say(id, token, text).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(reads).toEqual([]);
      await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Gern, einen Moment." }).expect(201);
      const answer = await stream.next();
      // Only the agent's message reaches the visitor, after the three of their own that were skipped.
      expect(answer).toEqual({ id: "5", event: "message", data: { type: "text", text: "Gern, einen Moment." } });
      expect(reads).toEqual(["after 1"]);
    } finally {
      store.messages = messages;
    }
  });

  it("refuses a reply over the length limit, naming it, and an empty one", async () => {
    const { id } = await visitorAtHandover();
    const long = await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "x".repeat(2001) }).expect(400);
    expect(long.body.error.message).toBe("A reply may have at most 2000 characters; this one has 2001.");
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "  " }).expect(400);
  });

  it("hands back to the bot, which continues at the step's next on the visitor's stream, and then answers 410", async () => {
    const { id, token } = await visitorAtHandover();
    const stream = visitorStream(id, token);
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    await request(runtime.app).post(`/api/v1/inbox/${id}/release`).set(as(agent)).expect(204);
    await stream.next((event) => (event.data as { text?: string }).text === "Wieder beim Bot. Noch etwas?");
    expect((await request(runtime.app).get("/api/v1/inbox").set(as(agent))).body.conversations.map((row: { id: string }) => row.id)).not.toContain(id);
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Hallo?" }).expect(410);
    const done = await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send({ choice: "nein" }).expect(200);
    expect(done.body.status).toBe("ended");
  });

  it("closes: the conversation ends on the visitor's stream, and replies get 410", async () => {
    const { id, token } = await visitorAtHandover();
    const stream = visitorStream(id, token);
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    await request(runtime.app).post(`/api/v1/inbox/${id}/close`).set(as(agent)).expect(204);
    await stream.next((event) => JSON.stringify(event.data) === JSON.stringify({ type: "status", status: "ended" }));
    const gone = await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Hallo?" }).expect(410);
    expect(gone.body.error.message).toBe("This live chat has ended.");
  });

  it("resumes a visitor's stream after Last-Event-ID with nothing lost and nothing twice", async () => {
    const { id, token } = await visitorAtHandover();
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    for (const text of ["eins", "zwei", "drei"]) await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text }).expect(201);
    const first = visitorStream(id, token);
    const all = [await first.next(), await first.next(), await first.next(), await first.next()];
    expect(all.map((event) => (event.data as { text: string }).text).slice(1)).toEqual(["eins", "zwei", "drei"]);
    first.close();
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "vier" }).expect(201);
    const resumed = visitorStream(id, token, Number(all[2]?.id));
    expect((await resumed.next()).data).toEqual({ type: "text", text: "drei" });
    expect((await resumed.next()).data).toEqual({ type: "text", text: "vier" });
    await expect(resumed.next(() => true, 300)).rejects.toThrow("no fitting event");
  });

  it("refuses the visitor's stream without the right token, and agents' routes to an editor", async () => {
    const { id } = await visitorAtHandover();
    expect(await visitorStream(id, "wrong.token").opened).toBe(401);
    await request(runtime.app).get("/api/v1/inbox").set(as(editor)).expect(403);
    await request(runtime.app).get(`/api/v1/inbox/${id}`).expect(401);
  });

  it("shows an erased conversation as erased by the visitor, nothing more, and answers replies with 410", async () => {
    const { id, token } = await visitorAtHandover();
    await say(id, token, "Meine Adresse ist Musterweg 1.").expect(200);
    await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    await request(runtime.app).delete(`/api/v1/conversations/${id}`).set("authorization", `Bearer ${token}`).expect(204);
    const view = await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(agent)).expect(200);
    expect(view.body).toMatchObject({ state: "ended", ended: "erased", shares: {}, messages: [] });
    expect(JSON.stringify(view.body)).not.toContain("Musterweg");
    const gone = await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Hallo?" }).expect(410);
    expect(gone.body.error.message).toBe("The visitor erased this conversation.");
    expect(await runtime.store.liveChats.messages(id)).toEqual([]);
  });

  it("erases the live chat with /stop-like unsubscribe from the menu", async () => {
    const { id, token } = await visitorAtHandover();
    await say(id, token, "Bitte löschen").expect(200);
    const erased = await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send({ menu: "unsubscribe" }).expect(200);
    expect(erased.body.status).toBe("erased");
    const view = await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(agent)).expect(200);
    expect(view.body).toMatchObject({ ended: "erased", messages: [] });
  });

  it("puts the live chat's messages into the visitor's export", async () => {
    const { id, token } = await visitorAtHandover();
    await say(id, token, "Frage zur Rechnung").expect(200);
    await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Antwort vom Team" }).expect(201);
    const data = await request(runtime.app).get(`/api/v1/conversations/${id}/data`).set("authorization", `Bearer ${token}`).expect(200);
    expect(data.body.liveChat.map((entry: { from: string; message: { text: string } }) => `${entry.from}: ${entry.message.text}`)).toEqual([
      "visitor: Frage zur Rechnung",
      "bot: Jemand aus unserem Team ist jetzt für Sie da.",
      "agent: Antwort vom Team",
    ]);
  });

  it("tells the visitor when nobody claimed it in time, and keeps what they write next for the agents", async () => {
    const { id, token } = await visitorAtHandover();
    const stream = visitorStream(id, token);
    await runtime.inbox.sweep();
    runtime.clock.advance(10 * 60_000 + 1);
    await runtime.inbox.sweep();
    expect((await stream.next()).data).toEqual({ type: "text", text: "Leider ist gerade niemand frei. Schreiben Sie uns Ihr Anliegen hier; wir antworten, sobald jemand frei ist." });
    await say(id, token, "Bitte um Rückruf").expect(200);
    const view = await request(runtime.app).get(`/api/v1/inbox/${id}`).set(as(agent)).expect(200);
    expect(view.body).toMatchObject({ state: "waiting", timedOut: true });
    expect(view.body.messages.map((entry: { message: { text: string } }) => entry.message.text)).toContain("Bitte um Rückruf");
  });

  it("nudges an agent about the visitor's messages, and an admin about the agent's replies too, but not the agent about their own", async () => {
    const { id, token } = await visitorAtHandover();
    const claimed = await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
    const mine = openEventStreamClient(`${base}/api/v1/inbox/events`, { cookie: agent.cookie });
    const admins = openEventStreamClient(`${base}/api/v1/inbox/events`, { cookie: admin.cookie });
    streams.push(mine, admins);
    expect(await mine.opened).toBe(200);
    expect(await admins.opened).toBe(200);
    const message = (stream: EventStreamClient) => stream.next((event) => event.event === "message" && (event.data as { conversation?: string }).conversation === id);
    await say(id, token, "Erste Frage").expect(200);
    expect((await message(mine)).data).toMatchObject({ conversation: id, from: "visitor" });
    expect((await message(admins)).data).toMatchObject({ conversation: id, from: "visitor" });
    const reply = await request(runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as(agent)).send({ text: "Gern." }).expect(201);
    expect((await message(admins)).data).toEqual({ kind: "message", conversation: id, seq: reply.body.seq, from: "agent", agent: claimed.body.claimedBy });
    await say(id, token, "Zweite Frage").expect(200);
    // The agent's next nudge is the visitor's second question: the reply in between was not nudged back.
    expect((await message(mine)).data).toMatchObject({ seq: reply.body.seq + 1, from: "visitor" });
    expect((await message(admins)).data).toMatchObject({ seq: reply.body.seq + 1, from: "visitor" });
  });

  it("nudges every agent about a waiting conversation and only its claimer once claimed, reading who follows once per change, not per stream", async () => {
    const { id, token } = await visitorAtHandover();
    const store = runtime.store.liveChats;
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (conversation) => {
      if (conversation === id) reads += 1;
      return get(conversation);
    };
    try {
      const [first, second, others] = [agent, agent, other].map((member) => openEventStreamClient(`${base}/api/v1/inbox/events`, { cookie: member.cookie })) as [EventStreamClient, EventStreamClient, EventStreamClient];
      streams.push(first, second, others);
      for (const stream of [first, second, others]) expect(await stream.opened).toBe(200);
      const message = (stream: EventStreamClient) => stream.next((event) => event.event === "message" && (event.data as { conversation?: string }).conversation === id);
      await say(id, token, "Ist jemand da?").expect(200);
      for (const stream of [first, second, others]) expect((await message(stream)).data).toMatchObject({ from: "visitor" });
      expect(reads).toBe(1);
      await say(id, token, "Hallo?").expect(200);
      for (const stream of [first, second, others]) expect((await message(stream)).data).toMatchObject({ from: "visitor" });
      expect(reads).toBe(1);

      await request(runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as(agent)).expect(200);
      // The claim's "agent joined" message is read for once the queue change dropped what was known.
      for (const stream of [first, second]) expect((await message(stream)).data).toMatchObject({ from: "bot" });
      reads = 0;
      await say(id, token, "Danke!").expect(200);
      for (const stream of [first, second]) expect((await message(stream)).data).toMatchObject({ from: "visitor" });
      expect(reads).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(message(others).then(() => "nudged", () => "not nudged")).resolves.toBe("not nudged");
    } finally {
      store.get = get;
    }
  });

  it("passes typing on to the other side", async () => {
    const { id, token } = await visitorAtHandover();
    const stream = visitorStream(id, token);
    await stream.opened;
    const agents = openEventStreamClient(`${base}/api/v1/inbox/events`, { cookie: agent.cookie });
    streams.push(agents);
    expect(await agents.opened).toBe(200);
    await request(runtime.app).post(`/api/v1/conversations/${id}/typing`).set("authorization", `Bearer ${token}`).expect(204);
    expect((await agents.next((event) => event.event === "typing")).data).toEqual({ kind: "typing", conversation: id, from: "visitor" });
    await request(runtime.app).post(`/api/v1/inbox/${id}/typing`).set(as(agent)).expect(204);
    expect(await stream.next((event) => event.event === "typing")).toEqual({ event: "typing", data: { from: "agent" } });
  });

  it("lets editors keep canned answers per flow and agents read them, with the change in the audit trail", async () => {
    const answers = [{ title: "Begrüßung", text: "Guten Tag! Wie kann ich helfen?" }, { title: "Abschied", text: "Danke, einen schönen Tag!" }];
    await request(runtime.app).put("/api/v1/admin/canned-answers/helpdesk").set(as(agent)).send({ answers }).expect(403);
    await request(runtime.app).put("/api/v1/admin/canned-answers/helpdesk").set(as(editor)).send({ answers }).expect(200);
    expect((await request(runtime.app).get("/api/v1/inbox/canned/helpdesk").set(as(agent)).expect(200)).body.answers).toEqual(answers);
    const refused = await request(runtime.app).put("/api/v1/admin/canned-answers/helpdesk").set(as(editor)).send({ answers: [{ title: "", text: "x" }] }).expect(400);
    expect(refused.body.error.message).toBe("Canned answer 1: the title needs 1 to 80 characters.");
    await request(runtime.app).get("/api/v1/inbox/canned/..%2Fsecrets").set(as(agent)).expect(400);
    expect((await runtime.audit.list({})).some((entry) => entry.action === "canned-answers.save" && entry.target === "helpdesk" && entry.actor === editor.email)).toBe(true);
  });
});
