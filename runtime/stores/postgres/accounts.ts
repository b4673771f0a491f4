/** PostgreSQL role: team accounts. The e-mail column is unique, so two instances cannot create one address twice. */
import type { AccountRecord, AccountStore, TeamRole } from "../ports/accounts.ts";
import { StoreError } from "../ports/store-error.ts";
import type { PgDatabase } from "./database.ts";

export function accountTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.accounts (
      id text PRIMARY KEY,
      email text NOT NULL UNIQUE,
      roles text[] NOT NULL,
      status text NOT NULL,
      password_hash text,
      sso_issuer text,
      sso_subject text,
      created_at text NOT NULL,
      updated_at text NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS accounts_by_sso ON ${schema}.accounts (sso_issuer, sso_subject) WHERE sso_issuer IS NOT NULL;`;
}

interface AccountRow {
  id: string;
  email: string;
  roles: string[];
  status: AccountRecord["status"];
  password_hash: string | null;
  sso_issuer: string | null;
  sso_subject: string | null;
  created_at: string;
  updated_at: string;
}

function fromRow(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    email: row.email,
    roles: row.roles as TeamRole[],
    status: row.status,
    ...(row.password_hash === null ? {} : { passwordHash: row.password_hash }),
    ...(row.sso_issuer === null || row.sso_subject === null ? {} : { sso: { issuer: row.sso_issuer, subject: row.sso_subject } }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function values(record: AccountRecord): unknown[] {
  return [record.id, record.email, record.roles, record.status, record.passwordHash ?? null, record.sso?.issuer ?? null, record.sso?.subject ?? null, record.createdAt, record.updatedAt];
}

const columns = "id, email, roles, status, password_hash, sso_issuer, sso_subject, created_at, updated_at";

function uniqueViolation(error: unknown): boolean {
  return error instanceof StoreError && (error.cause as { code?: string } | undefined)?.code === "23505";
}

export function postgresAccounts(db: PgDatabase): AccountStore {
  const { schema } = db;
  const one = async (where: string, params: unknown[]) => {
    const { rows } = await db.query<AccountRow>(`SELECT ${columns} FROM ${schema}.accounts WHERE ${where}`, params);
    return rows[0] && fromRow(rows[0]);
  };
  return {
    async create(record) {
      try {
        await db.query(`INSERT INTO ${schema}.accounts (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, values(record));
      } catch (error) {
        if (uniqueViolation(error)) throw new StoreError("account-exists", `an account with the id or e-mail of ${record.id} exists already`);
        throw error;
      }
    },
    get: (id) => one("id = $1", [id]),
    findByEmail: (email) => one("email = $1", [email]),
    findBySso: (issuer, subject) => one("sso_issuer = $1 AND sso_subject = $2", [issuer, subject]),
    async list() {
      const { rows } = await db.query<AccountRow>(`SELECT ${columns} FROM ${schema}.accounts ORDER BY email`);
      return rows.map(fromRow);
    },
    async put(record) {
      try {
        const { rowCount } = await db.query(
          `UPDATE ${schema}.accounts SET email = $2, roles = $3, status = $4, password_hash = $5, sso_issuer = $6, sso_subject = $7, created_at = $8, updated_at = $9 WHERE id = $1`,
          values(record),
        );
        return rowCount === 1;
      } catch (error) {
        if (uniqueViolation(error)) throw new StoreError("account-exists", `the e-mail of ${record.id} belongs to another account`);
        throw error;
      }
    },
  };
}
