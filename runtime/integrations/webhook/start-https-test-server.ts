/**
 * Test support: a local HTTPS server on 127.0.0.1 whose routes each test sets, recording what
 * arrives and how many connections were opened, so tests can prove a refusal made none.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { TestCertificate } from "./create-test-certificate.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type TestRoute = (response: ServerResponse, request: RecordedRequest) => void;

export interface HttpsTestServer {
  port: number;
  /** What arrived since the last reset, in order. */
  requests: RecordedRequest[];
  /** TCP connections accepted since the last reset. */
  connections(): number;
  route(path: string, handler: TestRoute): void;
  /** Forgets routes, requests and the connection count. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a server for `certificate` on an ephemeral port of 127.0.0.1; unknown paths get 404. */
export async function startHttpsTestServer(certificate: TestCertificate): Promise<HttpsTestServer> {
  const routes = new Map<string, TestRoute>();
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = createServer(certificate, (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded: RecordedRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const handler = routes.get(recorded.path.split("?")[0] ?? "");
      if (handler === undefined) response.writeHead(404).end();
      else handler(response, recorded);
    });
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("test server has no TCP address");
  return {
    port: address.port,
    requests,
    connections: () => connections,
    route: (path, handler) => routes.set(path, handler),
    reset: () => {
      routes.clear();
      requests.length = 0;
      connections = 0;
    },
    close: () => {
      // Hanging replies (the timeout tests) would otherwise keep `close` waiting forever.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
