/**
 * A local fake of the Telegram Bot API and the Meta Graph API for tests: it records every call
 * (path, JSON or multipart body, time) and answers in the platforms' formats. `failNext` makes
 * the next calls answer 429 with the platform's way of saying how long to wait.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  /** `sendMessage`, `answerCallbackQuery`, … for Telegram; the Graph path (`1098765/messages`, `me/messages`) for Meta. */
  method: string;
  body: Record<string, unknown>;
  /** Uploaded file contents by form field (Telegram `sendDocument`). */
  files: Record<string, string>;
  authorization?: string;
  at: number;
  /** The HTTP status the fake answered with. */
  status: number;
}

export interface FakePlatform {
  base: string;
  calls: RecordedCall[];
  /** The next `count` calls answer 429, asking to wait `retryAfterSeconds`. */
  failNext(count: number, retryAfterSeconds: number): void;
  /** Until called with undefined, every call answers this server error (the platform is down). */
  down(status: number | undefined): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<{ body: Record<string, unknown>; files: Record<string, string> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": type } }).formData();
    const body: Record<string, unknown> = {};
    const files: Record<string, string> = {};
    const entries: [string, FormDataEntryValue][] = [];
    form.forEach((value, name) => {
      entries.push([name, value]);
    });
    for (const [name, value] of entries) {
      if (typeof value === "string") body[name] = value;
      else files[name] = await value.text();
    }
    return { body, files };
  }
  return { body: raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {}, files: {} };
}

export async function startFakePlatform(kind: "telegram" | "graph"): Promise<FakePlatform> {
  const calls: RecordedCall[] = [];
  let failures = 0;
  let retryAfter = 1;
  let messageId = 1000;
  let downStatus: number | undefined;
  const server: Server = createServer(async (request, response) => {
    const { body, files } = await readBody(request);
    const path = (request.url ?? "").split("?")[0] ?? "";
    const method = kind === "telegram" ? (path.split("/").pop() ?? "") : path.replace(/^\/v[\d.]+\//, "");
    const call: RecordedCall = { method, body, files, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), at: Date.now(), status: 200 };
    calls.push(call);
    response.setHeader("content-type", "application/json");
    if (downStatus !== undefined) {
      call.status = downStatus;
      response.statusCode = downStatus;
      response.end(kind === "telegram" ? JSON.stringify({ ok: false, error_code: downStatus, description: "Bad Gateway" }) : JSON.stringify({ error: { message: "Service unavailable", code: 2 } }));
      return;
    }
    if (failures > 0) {
      call.status = 429;
      failures -= 1;
      if (kind === "telegram") {
        response.statusCode = 429;
        response.end(JSON.stringify({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }));
      } else {
        response.statusCode = 429;
        response.setHeader("retry-after", String(retryAfter));
        response.end(JSON.stringify({ error: { message: "(#4) Application request limit reached", type: "OAuthException", code: 4 } }));
      }
      return;
    }
    messageId += 1;
    if (kind === "telegram") response.end(JSON.stringify({ ok: true, result: method.startsWith("send") ? { message_id: messageId, date: 1767225600, chat: { id: body.chat_id, type: "private" } } : true }));
    else if (method.endsWith("/messages") && body.messaging_product === "whatsapp") response.end(JSON.stringify({ messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.out${messageId}` }] }));
    else if (method === "me/messages") response.end(JSON.stringify({ recipient_id: (body.recipient as { id?: string } | undefined)?.id, message_id: `m_out${messageId}` }));
    else response.end(JSON.stringify({ result: "success" }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    base: kind === "telegram" ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v26.0`,
    calls,
    failNext(count, seconds) {
      failures = count;
      retryAfter = seconds;
    },
    down(status) {
      downStatus = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
