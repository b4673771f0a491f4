/**
 * What each simulated user does, as autocannon request sequences: every connection sends its
 * walk's requests in order, each after the previous reply, and starts over with a fresh context
 * (so a new conversation) when it has sent the last one.
 *
 * The walk through the reference flow stops at the phone question: the phone answer runs the
 * flow's CRM webhook, whose cost would be the outbound HTTPS call (to a host unreachable here,
 * or to a local stub sharing the two cores), not the runtime's. The six requests are a start, a
 * choice, a consent declined, the choice again, the consent accepted and a personal input —
 * every kind of turn that writes state. Every reply is checked against what the flow says at
 * that point, so a fast but wrong server cannot pass.
 */
import { randomUUID } from "node:crypto";
import type autocannon from "autocannon";

export interface Walk {
  /** The requests one simulated user sends, in order. */
  requests: autocannon.Request[];
  /** Replies that came back 2xx but not as the flow dictates at that point. */
  wrongReplies(): number;
}

const json = { "content-type": "application/json" };

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `text,choice`, `consent`, `text,input:phone`…: what a web chat reply holds, in order. */
function messageShape(reply: unknown): string | undefined {
  if (!isRecord(reply) || !Array.isArray(reply.messages)) return undefined;
  return reply.messages
    .map((message: unknown) => {
      if (!isRecord(message)) return "?";
      return message.type === "input" ? `input:${String(message.format)}` : String(message.type);
    })
    .join(",");
}

/** The conversation a connection is walking through; one per autocannon context. */
interface WebChatConversation {
  id: string;
  token: string;
}

/** The turns after the start, with the reply the flow gives to each. */
const webChatTurns = [
  { body: { choice: "Rückruf anfordern" }, reply: "consent" },
  { body: { choice: "decline" }, reply: "text,choice" },
  { body: { choice: "Rückruf anfordern" }, reply: "consent" },
  { body: { choice: "accept" }, reply: "text,input:text" },
  { body: { text: "Erika Mustermann" }, reply: "text,input:phone" },
];

/** The phone number that completes the walk and sends the lead to the CRM step, and the bot's thanks. */
const leadTurn = { body: { text: "030 123456" }, reply: "text,status" };

/**
 * The reference flow through Botschaft's web chat API (docs/running.md#the-web-chat-api);
 * with `lead`, on through the phone number, so that every walk sends one lead to the CRM step.
 */
export function webChatWalk(flowId: string, { lead = false, onLead = () => {} }: { lead?: boolean; onLead?: () => void } = {}): Walk {
  // autocannon hands out a fresh context object per walk; the WeakMap keeps what the start
  // returned for it, typed, and forgets it with the context.
  const conversations = new WeakMap<object, WebChatConversation>();
  let wrong = 0;
  const start: autocannon.Request = {
    method: "POST",
    path: "/api/v1/conversations",
    headers: json,
    body: JSON.stringify({ flow: flowId }),
    onResponse: (status, body, context) => {
      const reply = parsed(body);
      if (status !== 201) return;
      if (!isRecord(reply) || typeof reply.id !== "string" || typeof reply.token !== "string" || messageShape(reply) !== "text,choice") {
        wrong++;
        return;
      }
      conversations.set(context, { id: reply.id, token: reply.token });
    },
  };
  const turns = (lead ? [...webChatTurns, leadTurn] : webChatTurns).map(
    (turn): autocannon.Request => ({
      method: "POST",
      headers: json,
      body: JSON.stringify(turn.body),
      setupRequest: (request, context) => {
        // Without a conversation (its start failed) the turn goes out unauthorised and counts as an error.
        const conversation = conversations.get(context);
        return {
          ...request,
          path: `/api/v1/conversations/${conversation?.id ?? "none"}/messages`,
          headers: { ...json, authorization: `Bearer ${conversation?.token ?? ""}` },
        };
      },
      onResponse: (status, body) => {
        if (status !== 200) return;
        if (messageShape(parsed(body)) !== turn.reply) wrong++;
        else if (turn === leadTurn) onLead();
      },
    }),
  );
  return { requests: [start, ...turns], wrongReplies: () => wrong };
}

/** The text of the last message activity of a Bot Framework `expectReplies` response. */
function lastBotText(reply: unknown): string | undefined {
  if (!isRecord(reply) || !Array.isArray(reply.activities)) return undefined;
  const texts = reply.activities.flatMap((activity: unknown) =>
    isRecord(activity) && activity.type === "message" && typeof activity.text === "string" ? [activity.text] : [],
  );
  return texts.at(-1);
}

/** The same walk through the Bot Framework peer (`botbuilder-peer-server.ts`). */
export function botFrameworkWalk(): Walk {
  const conversationIds = new WeakMap<object, string>();
  // The peer keeps every conversation in memory: a walk of its own must never meet the warm-up's.
  const walkId = randomUUID();
  let started = 0;
  let wrong = 0;
  const consentQuestion = "Dürfen wir Ihren Namen und Ihre Telefonnummer speichern, um Sie zurückzurufen?";
  const steps = [
    { activity: { type: "conversationUpdate", membersAdded: [{ id: "user" }] }, reply: "Wie kann ich helfen?" },
    { activity: { type: "message", text: "Rückruf anfordern" }, reply: consentQuestion },
    { activity: { type: "message", text: "decline" }, reply: "Wie kann ich helfen?" },
    { activity: { type: "message", text: "Rückruf anfordern" }, reply: consentQuestion },
    { activity: { type: "message", text: "accept" }, reply: "Wie heißen Sie?" },
    { activity: { type: "message", text: "Erika Mustermann" }, reply: "Unter welcher Nummer erreichen wir Sie?" },
  ];
  const requests = steps.map(
    ({ activity, reply: expected }, index): autocannon.Request => ({
      method: "POST",
      path: "/api/messages",
      headers: json,
      setupRequest: (request, context) => {
        if (index === 0) conversationIds.set(context, `${walkId}-${++started}`);
        const conversation = conversationIds.get(context) ?? "none";
        return {
          ...request,
          body: JSON.stringify({
            ...activity,
            channelId: "webchat",
            // Never called: with expectReplies the adapter returns the replies in the response.
            serviceUrl: "http://127.0.0.1:9/",
            deliveryMode: "expectReplies",
            from: { id: `user-${conversation}` },
            recipient: { id: "bot" },
            conversation: { id: conversation },
          }),
        };
      },
      onResponse: (status, body) => {
        if (status === 200 && lastBotText(parsed(body)) !== expected) wrong++;
      },
    }),
  );
  return { requests, wrongReplies: () => wrong };
}

/** One JSON body of a turn's size, echoed by the bare Express app. */
export function echoWalk(): Walk {
  const body = JSON.stringify({ choice: "Rückruf anfordern" });
  let wrong = 0;
  return {
    requests: [
      {
        method: "POST",
        path: "/echo",
        headers: json,
        body,
        onResponse: (status, reply) => {
          if (status === 200 && reply !== body) wrong++;
        },
      },
    ],
    wrongReplies: () => wrong,
  };
}
