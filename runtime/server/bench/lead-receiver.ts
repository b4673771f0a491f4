/**
 * A CRM stand-in for the benchmarks that deliver leads: an HTTPS server in its own process (so
 * its CPU time is its own, not the server's under test) that answers every request at once with
 * 204 and counts what arrived, by request and by `Idempotency-Key` — a lead sent twice shows as
 * more requests than keys. Its certificate is made for 127.0.0.1 and written to `caFile`, for
 * `NODE_EXTRA_CA_CERTS` or a client's trusted CA.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestCertificate } from "../../integrations/webhook/create-test-certificate.ts";

const receiverSource = `
const https = require("node:https");
let received = 0;
const keys = new Set();
const server = https.createServer({ key: process.env.KEY, cert: process.env.CERT }, (request, response) => {
  received++;
  keys.add(request.headers["idempotency-key"]);
  request.resume();
  request.on("end", () => response.writeHead(204).end());
});
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
process.on("message", () => process.send({ received, distinct: keys.size }));
`;

export interface LeadReceiver {
  port: number;
  pid: number;
  /** The PEM file of the receiver's certificate. */
  caFile: string;
  /** The certificate itself, for a client in this process. */
  cert: string;
  /** Requests received, and distinct idempotency keys among them. */
  arrived(): Promise<{ received: number; distinct: number }>;
  stop(): void;
}

/** Starts the receiver; `directory` keeps its script and certificate. */
export async function startLeadReceiver(directory: string): Promise<LeadReceiver> {
  const certificate = await createTestCertificate();
  const script = join(directory, "lead-receiver.cjs");
  const caFile = join(directory, "lead-receiver-ca.pem");
  await writeFile(script, receiverSource);
  await writeFile(caFile, certificate.cert);
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, KEY: certificate.key, CERT: certificate.cert },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the lead receiver exited with ${code}`)));
    child.stdout?.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim())));
  });
  return {
    port,
    pid: child.pid ?? 0,
    caFile,
    cert: certificate.cert,
    arrived: () =>
      new Promise((resolve) => {
        child.once("message", (message) => resolve(message as { received: number; distinct: number }));
        child.send("count");
      }),
    stop: () => {
      child.removeAllListeners("exit");
      child.kill();
    },
  };
}
