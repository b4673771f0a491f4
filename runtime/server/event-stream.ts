/**
 * Server-Sent Events on an Express response: the headers that keep proxies from buffering, a
 * comment every 15 s so idle connections survive, and `send` for one event. Data is JSON on one
 * line, so nothing a visitor or agent wrote can start a field of its own.
 */
import type { Request, Response } from "express";

export interface EventStream {
  send(event: { id?: number; event?: string; data: unknown }): void;
  /** Called once when the client goes away. */
  onClose(listener: () => void): void;
}

const heartbeatMs = 15_000;

export function openEventStream(request: Request, response: Response): EventStream {
  response.status(200);
  response.setHeader("content-type", "text/event-stream; charset=utf-8");
  response.setHeader("cache-control", "no-store");
  response.setHeader("connection", "keep-alive");
  response.setHeader("x-accel-buffering", "no");
  response.flushHeaders();
  // The browser retries after 2 s when the connection drops (EventSource); fetch readers do their own.
  response.write("retry: 2000\n\n");
  const heartbeat = setInterval(() => response.write(": keep-alive\n\n"), heartbeatMs);
  heartbeat.unref();
  const listeners: (() => void)[] = [];
  request.on("close", () => {
    clearInterval(heartbeat);
    for (const listener of listeners.splice(0)) listener();
  });
  return {
    send({ id, event, data }) {
      if (response.writableEnded) return;
      response.write(`${id === undefined ? "" : `id: ${id}\n`}${event === undefined ? "" : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`);
    },
    onClose(listener) {
      listeners.push(listener);
    },
  };
}

/** The number a stream resumes after: the `Last-Event-ID` header, else `?after=`, else 0. */
export function resumeAfter(request: Request): number {
  const raw = request.get("last-event-id") ?? (typeof request.query.after === "string" ? request.query.after : "0");
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
