/**
 * "An answered turn is durable" (issue 3), tested on the real server in its own process: many
 * conversations are walked concurrently, the server is killed with SIGKILL in the middle of
 * the load, restarted on the same data directory, and every conversation whose reply the
 * client received must go on exactly where that reply left it. Also: a second process on the
 * same data directory is refused while the first one runs.
 *
 * Over the network on purpose (CONTRIBUTING.md#tests): the subject is the process, its files and
 * its death, which an in-memory app cannot show.
 */
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DataExport, OutgoingMessage } from "../core/index.ts";
import { botschaftBin, type ServerProcess, startServerProcess } from "../testing/server-process.ts";

const flowId = "callback-request";
const referenceFlow = fileURLToPath(new URL("../../examples/callback-request.yaml", import.meta.url));

/**
 * The user's next turn at each position of the reference flow, position `p` being the number
 * of turns after the start whose reply the client received. The walk stops at the phone
 * question: a valid number would call the CRM webhook, which no test may reach, so the probe
 * there is a wrong number, which the flow answers by asking again.
 */
const nextTurns: ((name: string) => Record<string, string>)[] = [
  () => ({ choice: "Rückruf anfordern" }), // 0: the main question
  () => ({ choice: "decline" }), // 1: the consent question
  () => ({ choice: "Rückruf anfordern" }), // 2: the main question again
  () => ({ choice: "accept" }), // 3: the consent question again
  (name) => ({ text: name }), // 4: the name question
  () => ({ text: "keine Nummer" }), // 5: the phone question
];
const lastPosition = nextTurns.length - 1;

function turnAt(position: number, name: string): Record<string, string> {
  const turn = nextTurns[position];
  if (!turn) throw new Error(`the walk has no position ${position}`);
  return turn(name);
}

/** What `GET …/data` must show at a position: the consent decisions and the name, once given. */
function storedAt(position: number, name: string) {
  return {
    decisions: position >= 4 ? ["decline", "accept"] : position >= 2 ? ["decline"] : [],
    fields: position >= 5 ? [{ field: "name", value: name }] : [],
  };
}

interface Reply {
  messages: OutgoingMessage[];
  status: string;
}

interface Conversation {
  id: string;
  token: string;
  name: string;
  /** Turns after the start whose reply the client received. */
  acknowledged: number;
  /** A turn was sent and its reply had not arrived when the server was killed. */
  inFlight: boolean;
}

class Client {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
    // A reply counts as received only once its whole body has arrived and parsed.
    return { status: response.status, json: await response.json() };
  }

  async start(): Promise<{ id: string; token: string; reply: Reply }> {
    const { status, json } = await this.request("POST", "/conversations", { flow: flowId });
    if (status !== 201) throw new Error(`start answered ${status}: ${JSON.stringify(json)}`);
    const { id, token, messages, status: state } = json as { id: string; token: string } & Reply;
    return { id, token, reply: { messages, status: state } };
  }

  /** One turn; a refusal is returned as its HTTP status, so a check can show it beside the expected reply. */
  async turn(conversation: { id: string; token: string }, body: unknown): Promise<{ httpStatus: number } & Partial<Reply>> {
    const { status, json } = await this.request("POST", `/conversations/${conversation.id}/messages`, body, conversation.token);
    if (status !== 200) return { httpStatus: status };
    const { messages, status: state } = json as Reply;
    return { httpStatus: status, messages, status: state };
  }

  async say(conversation: { id: string; token: string }, body: unknown): Promise<Reply> {
    const { httpStatus, messages, status } = await this.turn(conversation, body);
    if (httpStatus !== 200 || !messages || !status) throw new Error(`the turn was answered with ${httpStatus}`);
    return { messages, status };
  }

  async stored(conversation: { id: string; token: string }) {
    const { status, json } = await this.request("GET", `/conversations/${conversation.id}/data`, undefined, conversation.token);
    if (status !== 200) return { status };
    const data = json as DataExport;
    return {
      status,
      decisions: data.consents.map((consent) => consent.decision),
      fields: data.fields.map(({ field, value }) => ({ field, value })),
    };
  }
}

/** The reply the flow gives to the next turn at each position, taken from one conversation walked through to the end. */
async function recordReplies(client: Client): Promise<Reply[]> {
  const conversation = await client.start();
  const replies: Reply[] = [];
  for (let position = 0; position <= lastPosition; position++) replies.push(await client.say(conversation, turnAt(position, "Erika Mustermann")));
  return replies;
}

describe("the server's durability", () => {
  let directory: string;
  let env: Record<string, string>;
  const running: ServerProcess[] = [];

  const start = async () => {
    const server = await startServerProcess({ args: [botschaftBin, "serve"], env, readyPath: "/healthz", readyTimeoutMs: 30_000 });
    running.push(server);
    return server;
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "botschaft-durability-"));
    const flowsDir = join(directory, "flows");
    await mkdir(flowsDir);
    await copyFile(referenceFlow, join(flowsDir, `${flowId}.yaml`));
    env = {
      BOTSCHAFT_DATA_DIR: join(directory, "data"),
      BOTSCHAFT_FLOWS_DIR: flowsDir,
      BOTSCHAFT_SECRET: "durability-test-secret-0123456789abcdef",
      BOTSCHAFT_ADMIN_TOKEN: "durability-test-admin-token-0123",
      // One client address starts every conversation here.
      BOTSCHAFT_RATE_CONVERSATIONS: "100000",
      BOTSCHAFT_RATE_MESSAGES: "100000",
      LOG_LEVEL: "warn",
    };
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop("SIGKILL")));
    await rm(directory, { recursive: true, force: true });
  });

  it("continues every conversation whose reply was received exactly where it was after kill -9 and a restart", async () => {
    const first = await start();
    const client = new Client(first.url);
    const expectedReplies = await recordReplies(client);
    // The probes must tell the positions apart (with the stored data), or the test could not fail.
    expect(expectedReplies.map((reply) => reply.messages.map((message) => message.type).join(","))).toEqual([
      "consent",
      "text,choice",
      "consent",
      "text,input",
      "text,input",
      "text,input",
    ]);

    const workers = 40;
    const killAfterReplies = 600;
    const conversations: Conversation[] = [];
    let received = 0;
    let killed = false;
    let inFlightAtKill = 0;
    let serial = 0;
    const acknowledge = () => {
      received++;
      if (received >= killAfterReplies && !killed) {
        killed = true;
        inFlightAtKill = conversations.filter((conversation) => conversation.inFlight).length;
        void first.stop("SIGKILL");
      }
    };
    /** Walks conversations one after another, each to its own depth, so that they stop at every position. */
    const walk = async () => {
      while (!killed) {
        const index = serial++;
        const depth = index % (lastPosition + 1);
        const name = `Kundin Nummer ${index}`;
        let started: Awaited<ReturnType<Client["start"]>>;
        try {
          started = await client.start();
        } catch (error) {
          if (killed) return;
          throw error;
        }
        const conversation: Conversation = { id: started.id, token: started.token, name, acknowledged: 0, inFlight: false };
        conversations.push(conversation);
        acknowledge();
        for (let position = 0; position < depth && !killed; position++) {
          conversation.inFlight = true;
          try {
            await client.say(conversation, turnAt(position, name));
          } catch (error) {
            if (killed) return;
            throw error;
          }
          conversation.inFlight = false;
          conversation.acknowledged = position + 1;
          acknowledge();
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, walk));
    expect(await first.exited).toMatchObject({ signal: "SIGKILL" });
    expect(inFlightAtKill).toBeGreaterThan(0);

    const second = await start();
    const restarted = new Client(second.url);
    const settled = conversations.filter((conversation) => !conversation.inFlight);
    const unsettled = conversations.filter((conversation) => conversation.inFlight);
    expect(settled.length).toBeGreaterThan(50);
    for (let position = 0; position <= lastPosition; position++) {
      expect(settled.some((conversation) => conversation.acknowledged === position)).toBe(true);
    }

    // One comparison over all of them, each carrying its id and position: a failure shows which went wrong, and how.
    const outcomes = await Promise.all(
      settled.map(async (conversation) => {
        const data = await restarted.stored(conversation);
        const reply = await restarted.turn(conversation, turnAt(conversation.acknowledged, conversation.name));
        return { id: conversation.id, position: conversation.acknowledged, data, reply };
      }),
    );
    expect(outcomes).toEqual(
      settled.map((conversation) => ({
        id: conversation.id,
        position: conversation.acknowledged,
        data: { status: 200, ...storedAt(conversation.acknowledged, conversation.name) },
        reply: { httpStatus: 200, ...expectedReplies[conversation.acknowledged] },
      })),
    );

    // A turn in flight at the kill may have been stored or not: its reply never arrived, so
    // either is right. Everything acknowledged before it must be there, and nothing more.
    for (const conversation of unsettled) {
      const data = await restarted.stored(conversation);
      expect([
        { status: 200, ...storedAt(conversation.acknowledged, conversation.name) },
        { status: 200, ...storedAt(conversation.acknowledged + 1, conversation.name) },
      ]).toContainEqual(data);
    }
  }, 60_000);

  it("refuses a second server process on the same data directory while the first one runs", async () => {
    const first = await start();
    const refused = startServerProcess({ args: [botschaftBin, "serve"], env, readyPath: "/healthz", readyTimeoutMs: 30_000 });
    // Should it start after all, it is stopped with the others.
    void refused.then(
      (server) => running.push(server),
      () => undefined,
    );
    await expect(refused).rejects.toThrow(`The data directory is in use by process ${first.pid}`);
    await expect(refused).rejects.toThrow("exit 1");
    // The first one is unharmed.
    const client = new Client(first.url);
    expect((await client.start()).reply.status).toBe("reply");
  }, 60_000);
});
