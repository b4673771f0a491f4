/**
 * HTTP routes of the messenger channels, mounted before any JSON body parser: the webhook body
 * is read raw (up to 5 MB; Meta sends up to 3 MB) because signatures are checked on the exact
 * bytes. `POST /channels/<name>/webhook` takes deliveries, `GET` answers Meta's handshake,
 * `GET /channels/export?token=…` serves a short-lived my-data export link.
 */
import express, { type Router } from "express";
import type { ConversationService } from "../app/conversations/conversation-service.ts";
import { AppError } from "../app/app-error.ts";
import type { ChannelHub } from "../app/messaging/channel-hub.ts";

export function channelRoutes(hub: ChannelHub, service: ConversationService): Router {
  const router = express.Router();
  router.post("/:channel/webhook", express.raw({ type: () => true, limit: "5mb" }), async (request, response) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const result = await hub.intake(String(request.params.channel), raw, request.headers);
    // An empty body: the platform needs the status only, and nothing about why it was refused.
    response.status(result.status).end();
  });
  router.get("/:channel/webhook", (request, response) => {
    const channel = hub.channel(String(request.params.channel));
    if (!channel) throw new AppError("not-found", "There is nothing here.");
    const challenge = channel.handshake?.(request.query as Record<string, unknown>);
    if (challenge === undefined) {
      response.status(403).end();
      return;
    }
    response.type("text/plain").send(challenge);
  });
  router.get("/export", async (request, response) => {
    const token = typeof request.query.token === "string" ? request.query.token : "";
    const conversation = hub.exportLinkConversation(token);
    if (!conversation) throw new AppError("not-found", "This link has expired or is not valid.");
    const data = await service.exportById(conversation);
    response.setHeader("cache-control", "no-store");
    response.attachment(`${data.flow}-data.json`).json(data);
  });
  return router;
}
