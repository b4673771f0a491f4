/**
 * The live chat over HTTP (docs/inbox.md; OpenAPI in `openapi.yaml`). For agents, below
 * `/api/v1/inbox` (access rules in access-rules.ts): the queue, one conversation, claim, reply,
 * typing, hand back, close, and an event stream that nudges the inbox page to reload. For the
 * visitor, below `/api/v1/conversations/:id`, authorised by the chat token like the rest of the
 * chat API: the event stream of agent and bot messages (`Last-Event-ID` resumes) and typing.
 */
import express, { type Router } from "express";
import type { ConversationService } from "../app/conversations/conversation-service.ts";
import { follows, type InboxService } from "../app/inbox/inbox-service.ts";
import type { CannedAnswers } from "../app/inbox/canned-answers.ts";
import { checkFileId } from "../app/flows/flow-files.ts";
import type { LiveChatSignal, SignalStore } from "../stores/ports/signals.ts";
import { bearerTokenOf } from "./bearer-token-of.ts";
import { InboxAudiences } from "./inbox-audiences.ts";
import { openEventStream, resumeAfter } from "./event-stream.ts";
import { auditActor, requirePrincipal } from "./team-auth.ts";

export function inboxRoutes(inbox: InboxService, signals: SignalStore, clock: () => Date, canned: CannedAnswers): Router {
  const router = express.Router();
  router.use(express.json({ limit: "16kb" }));
  const id = (params: Record<string, unknown>) => String(params.conversation);
  const flow = (params: Record<string, unknown>) => checkFileId(String(params.flow));

  // Canned answers: agents read them, editors keep them.
  router.get("/inbox/canned/:flow", async (request, response) => {
    response.json({ answers: await canned.list(flow(request.params)) });
  });
  router.get("/admin/canned-answers/:flow", async (request, response) => {
    response.json({ answers: await canned.list(flow(request.params)) });
  });
  router.put("/admin/canned-answers/:flow", async (request, response) => {
    response.json({ answers: await canned.save(flow(request.params), request.body, auditActor(request, response)) });
  });

  router.get("/inbox", async (_request, response) => {
    response.json({ conversations: await inbox.list(requirePrincipal(response)), now: clock().toISOString() });
  });

  // Nudges only (which conversation changed, how): the page reads what it shows through the other
  // routes. Queue changes go to every agent; messages and typing only for the conversations the
  // agent follows (waiting ones and their own), so twenty agents do not each get every message.
  // An agent's own replies are not nudged back: the reply's response carries them, and a read
  // after each of them would double the reads of a busy inbox.
  const audiences = new InboxAudiences(inbox, signals);
  router.get("/inbox/events", (request, response) => {
    const principal = requirePrincipal(response);
    const stream = openEventStream(request, response);
    void audiences.prime();
    stream.onClose(
      signals.subscribe((signal) => {
        if (signal.kind === "queue") {
          stream.send({ event: signal.kind, data: signal });
          return;
        }
        if (signal.kind === "message" && signal.agent === principal.id) return;
        const audience = audiences.of(signal.conversation);
        if (!(audience instanceof Promise)) {
          if (follows(audience, principal)) stream.send({ event: signal.kind, data: signal });
          return;
        }
        void audience.then((known) => {
          if (follows(known, principal)) stream.send({ event: signal.kind, data: signal });
        });
      }),
    );
  });

  router.get("/inbox/:conversation", async (request, response) => {
    const after = typeof request.query.after === "string" ? Number(request.query.after) : undefined;
    const since = after !== undefined && Number.isSafeInteger(after) && after >= 0 ? after : undefined;
    response.setHeader("cache-control", "no-store");
    response.json(await inbox.view(id(request.params), requirePrincipal(response), auditActor(request, response), since));
  });

  router.post("/inbox/:conversation/claim", async (request, response) => {
    response.json(await inbox.claim(id(request.params), requirePrincipal(response), auditActor(request, response)));
  });

  router.post("/inbox/:conversation/messages", async (request, response) => {
    const body = typeof request.body === "object" && request.body !== null ? (request.body as { text?: unknown }) : {};
    response.status(201).json(await inbox.reply(id(request.params), body.text, requirePrincipal(response)));
  });

  router.post("/inbox/:conversation/typing", (request, response) => {
    inbox.typing(id(request.params), "agent");
    response.status(204).end();
  });

  router.post("/inbox/:conversation/release", async (request, response) => {
    await inbox.release(id(request.params), requirePrincipal(response), auditActor(request, response));
    response.status(204).end();
  });

  router.post("/inbox/:conversation/close", async (request, response) => {
    await inbox.close(id(request.params), requirePrincipal(response), auditActor(request, response));
    response.status(204).end();
  });
  return router;
}

/**
 * Signals by conversation: one subscription to the store's signals for all of a router's streams,
 * each signal handed only to the streams of its conversation. With a listener per stream on the
 * store's signals, every signal would call every stream's listener — 500 open chats, 500 calls
 * per message, most of them to say "not mine". `missed` goes to every stream.
 */
interface StreamListener {
  signal(signal: LiveChatSignal): void;
  missed(): void;
}

function signalsByConversation(signals: SignalStore): (conversation: string, listener: StreamListener) => () => void {
  const listeners = new Map<string, Set<StreamListener>>();
  const each = (listener: StreamListener, call: (listener: StreamListener) => void) => {
    try {
      call(listener);
    } catch {
      // A stream that broke must not keep the signal from the other streams.
    }
  };
  let subscribed = false;
  return (conversation, listener) => {
    if (!subscribed) {
      subscribed = true;
      signals.subscribe(
        (signal) => {
          for (const one of listeners.get(signal.conversation) ?? []) each(one, (it) => it.signal(signal));
        },
        () => {
          for (const set of [...listeners.values()]) for (const one of [...set]) each(one, (it) => it.missed());
        },
      );
    }
    let forConversation = listeners.get(conversation);
    if (!forConversation) {
      forConversation = new Set();
      listeners.set(conversation, forConversation);
    }
    forConversation.add(listener);
    return () => {
      forConversation.delete(listener);
      if (forConversation.size === 0 && listeners.get(conversation) === forConversation) listeners.delete(conversation);
    };
  };
}

/** How often a visitor's stream reads the store on its own, in case a signal was lost without its connection breaking. */
export const visitorStreamSafetyReadMs = 60_000;

/** The visitor's side, mounted with the web chat API (its CORS, no cookies). */
export function visitorLiveChatRoutes(service: ConversationService, inbox: InboxService, signals: SignalStore): Router {
  const router = express.Router();
  const follow = signalsByConversation(signals);

  router.get("/conversations/:id/events", async (request, response) => {
    const conversation = String(request.params.id);
    await service.authorise(conversation, bearerTokenOf(request));
    let last = resumeAfter(request);
    const stream = openEventStream(request, response);
    // One read at a time, always from the last number sent: nothing twice, nothing skipped.
    let reading = Promise.resolve();
    const read = () => {
      reading = reading
        .then(async () => {
          for (const message of await inbox.visitorMessages(conversation, last)) {
            if (message.seq <= last) continue;
            stream.send({ id: message.seq, data: message.message });
            last = message.seq;
          }
        })
        .catch(() => undefined);
    };
    // Signals lost while the connection between the instances was broken are made up for by a read
    // as soon as it is back (`missed`). The read every minute is a last resort only: every open
    // stream reading on a short timer costs the store reads in proportion to the chats open, busy
    // or not (500 streams every 5 s were 100 reads a second).
    const poll = setInterval(read, visitorStreamSafetyReadMs);
    poll.unref();
    stream.onClose(() => clearInterval(poll));
    stream.onClose(
      follow(conversation, {
        signal: (signal) => {
          // The visitor's own message is not sent back to them: no read for it.
          if (signal.kind === "message" && signal.seq > last && signal.from !== "visitor") read();
          else if (signal.kind === "typing" && signal.from === "agent") stream.send({ event: "typing", data: { from: "agent" } });
        },
        missed: read,
      }),
    );
    read();
  });

  router.post("/conversations/:id/typing", async (request, response) => {
    const conversation = String(request.params.id);
    await service.authorise(conversation, bearerTokenOf(request));
    inbox.typing(conversation, "visitor");
    response.status(204).end();
  });
  return router;
}
