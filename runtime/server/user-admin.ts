/**
 * `botschaft users …` without the editor: add (invite), list, disable, reset. The CLI runs these
 * on the store directly when it can open it (PostgreSQL, or the embedded store while the server
 * is stopped); while a server holds the embedded store, the CLI sends them to the server's
 * admin socket instead — a Unix socket in the data directory, readable only by the owner of the
 * data (who can read the key file anyway), so no token is needed.
 */
import { chmod, rm } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { Logger } from "pino";
import type { AccountService, IssuedLink } from "../app/accounts/account-service.ts";
import { AppError } from "../app/app-error.ts";
import type { AuditActor } from "../app/audit/audit-trail.ts";
import type { AccountRecord } from "../stores/ports/accounts.ts";

export type UserCommand =
  | { op: "add"; email: string; roles: string[] }
  | { op: "list" }
  | { op: "disable"; email: string }
  | { op: "reset"; email: string };

export type UserCommandResult =
  | { op: "add" | "reset"; link: IssuedLink }
  | { op: "list"; accounts: Pick<AccountRecord, "email" | "roles" | "status">[] }
  | { op: "disable"; email: string };

export async function runUserCommand(accounts: AccountService, command: UserCommand, by: AuditActor): Promise<UserCommandResult> {
  switch (command.op) {
    case "add":
      return { op: "add", link: await accounts.invite(command.email, command.roles, by) };
    case "reset":
      return { op: "reset", link: await accounts.reset(command.email, by) };
    case "disable":
      return { op: "disable", email: (await accounts.disable(command.email, by)).email };
    case "list":
      return { op: "list", accounts: (await accounts.list()).map(({ email, roles, status }) => ({ email, roles, status })) };
  }
}

/** Unix socket paths are limited to about 100 bytes; a longer data directory gets no socket. */
const maxSocketPath = 100;

export function adminSocketPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}/admin.sock`;
}

export async function startAdminSocket(path: string, accounts: AccountService, logger: Logger): Promise<(() => Promise<void>) | undefined> {
  if (Buffer.byteLength(path) > maxSocketPath) {
    logger.warn({ path }, "the data directory's path is too long for the admin socket; `botschaft users` works only while the server is stopped");
    return undefined;
  }
  await rm(path, { force: true });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answer = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      let command: UserCommand;
      try {
        command = JSON.parse(Buffer.concat(chunks).toString("utf8")) as UserCommand;
      } catch {
        answer(400, { error: { code: "bad-request", message: "not JSON" } });
        return;
      }
      const by = { actor: `cli:${request.headers["x-botschaft-user"] ?? "local"}` };
      runUserCommand(accounts, command, by).then(
        (result) => answer(200, result),
        (error: unknown) =>
          error instanceof AppError ? answer(400, { error: { code: error.code, message: error.message } }) : answer(500, { error: { code: "internal", message: "The server failed; see its log." } }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return () => new Promise<void>((resolve) => server.close(() => void rm(path, { force: true }).then(() => resolve())));
}

/** Sends a command to a running server's admin socket. */
export function sendUserCommand(path: string, command: UserCommand, user: string): Promise<UserCommandResult> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ socketPath: path, method: "POST", path: "/", headers: { "content-type": "application/json", "x-botschaft-user": user } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as UserCommandResult | { error: { code: string; message: string } };
        if ("error" in body) reject(new AppError(body.error.code === "internal" ? "bad-request" : (body.error.code as AppError["code"]), body.error.message));
        else resolve(body);
      });
    });
    request.on("error", reject);
    request.end(JSON.stringify(command));
  });
}
