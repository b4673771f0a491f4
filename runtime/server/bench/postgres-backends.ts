/**
 * The PostgreSQL processes that work for the servers under test, so that their CPU time counts as
 * the target's (not as other processes' load) and can be shown per turn: the client backends
 * whose connections the servers hold — found by matching the servers' TCP client ports
 * (/proc/<pid>/fd → socket inode → /proc/net/tcp) with `pg_stat_activity.client_port` — and the
 * server's own helpers that every commit needs (WAL writer, checkpointer, background writer).
 * Linux only; another process's backends on the same database stay foreign.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import pg from "pg";

/** Local TCP ports of the sockets that process `pid` holds. */
function localPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, inode] = [fields[1], fields[9]];
      if (local && inode && inodes.has(inode)) ports.add(Number.parseInt(local.split(":")[1] ?? "0", 16));
    }
  }
  return ports;
}

/** Pids of the backends serving `serverPids`' connections, and of PostgreSQL's WAL writer, checkpointer and background writer. */
export async function postgresPidsFor(databaseUrl: string, serverPids: readonly number[]): Promise<number[]> {
  const ports = new Set(serverPids.flatMap((pid) => [...localPorts(pid)]));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; client_port: number | null; backend_type: string }>("SELECT pid, client_port, backend_type FROM pg_stat_activity");
    return rows
      .filter((row) => (row.backend_type === "client backend" && row.client_port !== null && ports.has(row.client_port)) || ["walwriter", "checkpointer", "background writer"].includes(row.backend_type))
      .map((row) => row.pid);
  } finally {
    await client.end();
  }
}
