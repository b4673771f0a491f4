/**
 * The benchmark's ceiling: a bare Express 5 app that answers every JSON POST with the same JSON.
 * It parses and serialises as much as a turn does and nothing else, so the runtime's rate is
 * measured as a share of what Express alone does on this machine.
 *
 *   PORT=3001 node --import tsx runtime/server/bench/echo-server.ts
 */
import express from "express";

const app = express();
app.disable("x-powered-by");
app.get("/healthz", (_request, response) => {
  response.json({ status: "ok" });
});
// The same body limit as the web chat API.
app.post("/echo", express.json({ limit: "16kb" }), (request, response) => {
  response.json(request.body);
});

const server = app.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? "127.0.0.1");
const stop = () => {
  server.close();
  server.closeIdleConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
