/**
 * The web chat API (docs/running.md#the-web-chat-api; OpenAPI in `runtime/server/openapi.yaml`):
 * start a conversation, send a message, export the data, erase the conversation.
 */
import { Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { EngineEvent } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import { bearerTokenOf } from "./bearer-token-of.ts";
import type { ConversationService } from "../app/conversations/conversation-service.ts";
import { WindowLimiter } from "./window-limiter.ts";

/** Longer texts are not answers to a chatbot question; refusing them keeps state small. */
const maxTextLength = 4000;

function stringProperty(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > maxTextLength) {
    throw new AppError("bad-request", `\`${key}\` must be a non-empty string of at most ${maxTextLength} characters.`);
  }
  return value;
}

/** Exactly one of `text`, `choice` or `menu`. */
export function eventFromBody(body: unknown): EngineEvent {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("bad-request", "Send a JSON object with one of `text`, `choice` or `menu`.");
  }
  const record = body as Record<string, unknown>;
  const text = stringProperty(record, "text");
  const choice = stringProperty(record, "choice");
  const menu = stringProperty(record, "menu");
  const given = [text, choice, menu].filter((value) => value !== undefined);
  if (given.length !== 1) throw new AppError("bad-request", "Send exactly one of `text`, `choice` or `menu`.");
  if (text !== undefined) return { type: "text", text };
  if (choice !== undefined) return { type: "choice", value: choice };
  return { type: "menu", item: menu as string };
}

export interface WebChatLimits {
  /** Messages per conversation per `windowMs`. */
  messagesPerWindow: number;
  /** New conversations per client address per `windowMs`. */
  conversationsPerWindow: number;
  windowMs: number;
}

export function webChatRoutes(service: ConversationService, limits: WebChatLimits): Router {
  const router = Router();
  // The hottest route gets a plain counter; starts keep express-rate-limit, keyed by client address.
  const messages = new WindowLimiter(limits.messagesPerWindow, limits.windowMs);
  const perClient = rateLimit({
    windowMs: limits.windowMs,
    limit: limits.conversationsPerWindow,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: () => {
      throw new AppError("rate-limited", "Too many new conversations from this address; please wait a moment.");
    },
  });

  router.post("/conversations", perClient, async (request, response) => {
    const flow = typeof request.body === "object" && request.body !== null ? (request.body as { flow?: unknown }).flow : undefined;
    if (typeof flow !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(flow)) {
      throw new AppError("bad-request", "Send `{ \"flow\": \"<flow id>\" }`.");
    }
    response.status(201).json(await service.start(flow, "web"));
  });

  router.post("/conversations/:id/messages", async (request, response) => {
    const id = String(request.params.id);
    const event = eventFromBody(request.body);
    // Counted only once the token is checked: a stranger's requests cannot use up the owner's window.
    const admit = () => {
      if (!messages.allow(id)) throw new AppError("rate-limited", "Too many messages in this conversation; please wait a moment.");
    };
    response.json(await service.handle(id, bearerTokenOf(request), event, admit));
  });

  router.get("/conversations/:id/data", async (request, response) => {
    response.json(await service.export(String(request.params.id), bearerTokenOf(request)));
  });

  router.delete("/conversations/:id", async (request, response) => {
    await service.erase(String(request.params.id), bearerTokenOf(request));
    response.status(204).end();
  });

  return router;
}
