/**
 * `botschaft users …`: team accounts from the command line, whether or not the server runs. On
 * PostgreSQL, or on the embedded store while no server holds it, the command opens the store
 * itself; while a server holds the embedded store, it asks that server over its admin socket.
 * `add` and `reset` print the one-time link on the last line, so a script can take it.
 */
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { AppError } from "../app/app-error.ts";
import { teamServices } from "../server/compose-runtime.ts";
import { type Config, readConfig } from "../server/config.ts";
import { runtimeKeys } from "../server/main.ts";
import { adminSocketPath, runUserCommand, sendUserCommand, type UserCommand, type UserCommandResult } from "../server/user-admin.ts";
import { LowdbStore } from "../stores/embedded/lowdb-store.ts";
import { PostgresStore } from "../stores/postgres/postgres-store.ts";
import { StoreError } from "../stores/ports/store-error.ts";
import type { Store } from "../stores/ports/store.ts";

type Environment = Readonly<Record<string, string | undefined>>;

export interface UsersIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function format(result: UserCommandResult): string {
  switch (result.op) {
    case "add":
      return `Invitation created (valid until ${result.link.expiresAt}${result.link.mailed ? "; also sent by e-mail" : ""}). Send this link to the person:\n${result.link.url}\n`;
    case "reset":
      return `Password reset link (valid until ${result.link.expiresAt}${result.link.mailed ? "; also sent by e-mail" : ""}); the account's sessions have ended:\n${result.link.url}\n`;
    case "disable":
      return `${result.email} is disabled; its sessions have ended.\n`;
    case "list": {
      if (result.accounts.length === 0) return "No team accounts yet.\n";
      const width = Math.max(...result.accounts.map((account) => account.email.length));
      return result.accounts.map((account) => `${account.email.padEnd(width)}  ${account.status.padEnd(8)}  ${account.roles.join(", ")}\n`).join("");
    }
  }
}

async function onStore(config: Config, store: Store, command: UserCommand, actor: string): Promise<UserCommandResult> {
  const { accounts } = teamServices(store, await runtimeKeys(config), () => new Date(), {
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    localUrl: () => `http://${config.host}:${config.port}`,
    auditRetentionMs: config.team.auditRetentionMs,
  });
  return runUserCommand(accounts, command, { actor });
}

export async function usersCommand(env: Environment, io: UsersIo, command: UserCommand): Promise<0 | 1 | 2> {
  let config: Config;
  try {
    config = readConfig(env);
  } catch (error) {
    io.stderr(`botschaft: ${describe(error)}\n`);
    return 2;
  }
  const user = userInfo().username;
  const actor = `cli:${user}`;
  try {
    let result: UserCommandResult;
    if (config.databaseUrl) {
      const store = await PostgresStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema, poolSize: 2, applicationName: "botschaft-cli" });
      try {
        result = await onStore(config, store, command, actor);
      } finally {
        await store.close();
      }
    } else {
      let store: Store | undefined;
      try {
        store = await LowdbStore.open({ dataDir: config.dataDir });
      } catch (error) {
        if (!(error instanceof StoreError && error.code === "store-locked")) throw error;
      }
      if (store) {
        try {
          result = await onStore(config, store, command, actor);
        } finally {
          await store.close();
        }
      } else {
        // A running server holds the data directory: it does the work.
        result = await sendUserCommand(adminSocketPath(resolve(config.dataDir)), command, user).catch((error: unknown) => {
          if (error instanceof AppError) throw error;
          throw new Error(`a server holds ${resolve(config.dataDir)}, but its admin socket does not answer (${describe(error)}); use the editor's accounts page`);
        });
      }
    }
    io.stdout(format(result));
    return 0;
  } catch (error) {
    io.stderr(`botschaft: ${describe(error)}\n`);
    return error instanceof AppError ? 2 : 1;
  }
}
