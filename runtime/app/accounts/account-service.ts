/**
 * Team accounts: the first administrator's set-up link, invitations and password resets (one-time
 * links, valid 72 hours), sign-in with password or single sign-on, server-side sessions with idle
 * and absolute time-outs, API tokens for scripts, throttling of failed sign-ins. Every token,
 * session id and link is random, shown once and stored only as a keyed hash. Everything that
 * changes access goes into the audit trail.
 *
 * @example
 * ```ts
 * const link = await accounts.invite("erika@muster.example", ["editor"], { actor: "admin@muster.example" });
 * // Erika opens link.url, chooses a password (acceptLink), then signs in:
 * const session = await accounts.signIn("erika@muster.example", password, "203.0.113.7");
 * const who = await accounts.principalForSession(session.cookie);
 * ```
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { AccountRecord, AccountStore, TeamRole } from "../../stores/ports/accounts.ts";
import type { ApiTokenRecord, ApiTokenStore } from "../../stores/ports/api-tokens.ts";
import type { OneTimeLinkRecord, OneTimeLinkStore } from "../../stores/ports/one-time-links.ts";
import type { SessionStore } from "../../stores/ports/sessions.ts";
import type { SignInAttemptStore } from "../../stores/ports/sign-in-attempts.ts";
import { StoreError } from "../../stores/ports/store-error.ts";
import { isTeamRole, teamRoles } from "../../core/index.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import { bearerTokenMatches, generateBearerToken } from "../crypto/bearer-token.ts";
import type { KeyRing } from "../crypto/keys.ts";
import type { Mailer } from "./mailer.ts";
import { dummyPasswordHash, hashPassword, type PasswordProblem, passwordProblem, verifyPassword } from "./password.ts";
import type { Principal } from "./principal.ts";

export interface AccountPolicy {
  /** A session ends this long after its last request. */
  sessionIdleMs: number;
  /** …and this long after sign-in, however busy. */
  sessionMaxMs: number;
  /** How long an invitation or a reset link works. */
  linkLifetimeMs: number;
  /** Failed sign-ins per account or per address within `throttleWindowMs` before 429. */
  throttleAttempts: number;
  throttleWindowMs: number;
}

export const defaultAccountPolicy: AccountPolicy = {
  sessionIdleMs: 30 * 60_000,
  sessionMaxMs: 12 * 60 * 60_000,
  linkLifetimeMs: 72 * 60 * 60_000,
  throttleAttempts: 10,
  throttleWindowMs: 15 * 60_000,
};

export interface AccountServiceDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  links: OneTimeLinkStore;
  tokens: ApiTokenStore;
  attempts: SignInAttemptStore;
  audit: AuditTrail;
  /** The runtime's token key ring: session ids, link tokens and API tokens are hashed under it. */
  keys: KeyRing;
  clock: () => Date;
  /** The public base URL links point to (`<publicUrl>/invite/<token>`); a function when it is known only once the server listens. */
  publicUrl: string | (() => string);
  policy?: Partial<AccountPolicy>;
  /** Sends invitations and resets by e-mail too, when SMTP is configured. */
  mailer?: Mailer;
  /** BOTSCHAFT_ADMIN_TOKEN: works as an API token with the admin role, for existing scripts. */
  configuredAdminToken?: string;
  /** The hash of the admin token earlier versions generated at first start; it keeps working as an admin API token. */
  legacyAdminTokenHash?: string;
}

export interface IssuedLink {
  url: string;
  expiresAt: string;
  /** Whether it also went out by e-mail. */
  mailed: boolean;
}

export interface LinkInfo {
  purpose: OneTimeLinkRecord["purpose"];
  /** The address the link sets a password for; none for the set-up link, which asks for one. */
  email?: string;
}

export interface Session {
  /** The cookie's value; shown once, stored only hashed. */
  cookie: string;
  expiresAt: string;
}

/** A sign-in refused because of too many failures: the caller answers 429 with `Retry-After`. */
export class ThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("rate-limited", "Too many failed sign-ins. Please wait before trying again.");
  }
}

export class PasswordRefusedError extends AppError {
  constructor(readonly problem: PasswordProblem) {
    super("bad-request", passwordMessages[problem]);
  }
}

const passwordMessages: Record<PasswordProblem, string> = {
  "too-short": "The password needs at least 12 characters.",
  "too-long": "The password may have at most 256 characters.",
  common: "This password is among the most common ones; please choose another.",
  "like-email": "The password must not contain your e-mail address.",
};

const signInFailed = "The e-mail address or the password is wrong.";

/** E-mail addresses compare trimmed and in lower case: one address, one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkEmail(email: string): string {
  const normal = normaliseEmail(email);
  if (!emailPattern.test(normal) || normal.length > 254) throw new AppError("bad-request", "That is not an e-mail address.");
  return normal;
}

function checkRoles(roles: readonly string[]): TeamRole[] {
  const unknown = roles.filter((role) => !isTeamRole(role));
  if (roles.length === 0 || unknown.length > 0) throw new AppError("bad-request", `Give one or more roles of ${teamRoles.join(", ")}${unknown.length > 0 ? ` (not ${unknown.join(", ")})` : ""}.`);
  return [...new Set(roles as TeamRole[])];
}

/** How long an API token found in the store is trusted without reading it again (docs/accounts.md#api-tokens-for-scripts-and-ci). */
export const tokenCacheMs = 1000;
const tokenCacheLimit = 10_000;

export class AccountService {
  readonly policy: AccountPolicy;

  /**
   * API tokens found recently, by their hash: a script or an agent's client sends many requests
   * a second, each of which would otherwise cost a store read (on PostgreSQL, a round trip).
   * Only found tokens are kept, for `tokenCacheMs`, so a revocation holds on every instance
   * within that time (at once on the instance that revoked).
   */
  readonly #tokenCache = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly deps: AccountServiceDeps) {
    this.policy = { ...defaultAccountPolicy, ...deps.policy };
  }

  /** Keyed hashes of a secret under every key of the ring, the current one first (a changed secret still finds old records). */
  #hashes(purpose: string, secret: string): string[] {
    const { current, previous } = this.deps.keys;
    return [current, ...previous].map(({ key }) => createHmac("sha256", key).update(`${purpose}\u0000${secret}`).digest("base64url"));
  }

  #hash(purpose: string, secret: string): string {
    return this.#hashes(purpose, secret)[0] as string;
  }

  #now(): Date {
    return this.deps.clock();
  }

  #later(ms: number): string {
    return new Date(this.#now().getTime() + ms).toISOString();
  }

  // ── one-time links ──────────────────────────────────────────────────────────────────────

  async #issueLink(purpose: OneTimeLinkRecord["purpose"], account: AccountRecord | undefined, roles?: TeamRole[]): Promise<{ token: string; record: OneTimeLinkRecord }> {
    if (account) await this.deps.links.deleteForAccount(account.id);
    const token = generateBearerToken();
    const record: OneTimeLinkRecord = {
      tokenHash: this.#hash("link", token),
      purpose,
      ...(account ? { accountId: account.id } : {}),
      ...(roles ? { roles } : {}),
      createdAt: this.#now().toISOString(),
      expiresAt: this.#later(this.policy.linkLifetimeMs),
    };
    await this.deps.links.create(record);
    return { token, record };
  }

  #url(token: string): string {
    const base = typeof this.deps.publicUrl === "string" ? this.deps.publicUrl : this.deps.publicUrl();
    return `${base.replace(/\/+$/, "")}/invite/${token}`;
  }

  async #mail(email: string, purpose: "invite" | "reset", url: string): Promise<boolean> {
    if (!this.deps.mailer) return false;
    const lines =
      purpose === "invite"
        ? [
            "Sie wurden zu Botschaft eingeladen. Wählen Sie hier Ihr Passwort (der Link gilt 72 Stunden):",
            url,
            "",
            "You have been invited to Botschaft. Choose your password here (the link works for 72 hours):",
            url,
          ]
        : [
            "Sie können Ihr Botschaft-Passwort hier neu setzen (der Link gilt 72 Stunden):",
            url,
            "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.",
            "",
            "You can set a new Botschaft password here (the link works for 72 hours):",
            url,
            "If you did not ask for this, ignore this e-mail.",
          ];
    const subject = purpose === "invite" ? "Einladung zu Botschaft / Invitation to Botschaft" : "Neues Passwort für Botschaft / New Botschaft password";
    await this.deps.mailer.send({ to: email, subject, text: `${lines.join("\n")}\n` });
    return true;
  }

  /**
   * While no account exists: a fresh one-time link that creates the first administrator (the
   * server prints it at start). Earlier set-up links stop working, so only the newest one counts.
   */
  async setupLink(): Promise<IssuedLink | undefined> {
    if ((await this.deps.accounts.list()).length > 0) return undefined;
    const { token, record } = await this.#issueLink("setup", undefined, ["admin"]);
    return { url: this.#url(token), expiresAt: record.expiresAt, mailed: false };
  }

  /** Invites a new team member (or invites again someone who has not chosen a password yet). */
  async invite(email: string, roles: readonly string[], by: AuditActor): Promise<IssuedLink> {
    const address = checkEmail(email);
    const granted = checkRoles(roles);
    let account = await this.deps.accounts.findByEmail(address);
    if (account && account.status !== "invited") throw new AppError("conflict", `${address} has an account already; reset its password instead.`);
    const now = this.#now().toISOString();
    if (account) {
      account = { ...account, roles: granted, updatedAt: now };
      await this.deps.accounts.put(account);
    } else {
      account = { id: randomUUID(), email: address, roles: granted, status: "invited", createdAt: now, updatedAt: now };
      await this.deps.accounts.create(account);
    }
    const { token, record } = await this.#issueLink("invite", account);
    const url = this.#url(token);
    const mailed = await this.#mail(address, "invite", url);
    await this.deps.audit.record(by, { action: "account.invite", target: address, details: { roles: granted.join(" "), mailed } });
    return { url, expiresAt: record.expiresAt, mailed };
  }

  /** A link to choose a new password; the account's sessions end at once. */
  async reset(email: string, by: AuditActor): Promise<IssuedLink> {
    const account = await this.#account(email);
    if (account.status === "disabled") throw new AppError("conflict", `${account.email} is disabled; enable it first.`);
    await this.deps.sessions.deleteForAccount(account.id);
    const { token, record } = await this.#issueLink(account.status === "invited" ? "invite" : "reset", account);
    const url = this.#url(token);
    const mailed = await this.#mail(account.email, account.status === "invited" ? "invite" : "reset", url);
    await this.deps.audit.record(by, { action: "account.reset", target: account.email, details: { mailed } });
    return { url, expiresAt: record.expiresAt, mailed };
  }

  async #linkRecord(token: string): Promise<OneTimeLinkRecord | undefined> {
    for (const hash of this.#hashes("link", token)) {
      const record = await this.deps.links.get(hash);
      if (record) return Date.parse(record.expiresAt) > this.#now().getTime() ? record : undefined;
    }
    return undefined;
  }

  /** What a link is for, while it works; `not-found` for an unknown, used or expired one. */
  async describeLink(token: string): Promise<LinkInfo> {
    const record = await this.#linkRecord(token);
    if (!record) throw new AppError("not-found", "This link is unknown, used or expired. Ask an administrator for a new one.");
    const account = record.accountId ? await this.deps.accounts.get(record.accountId) : undefined;
    return { purpose: record.purpose, ...(account ? { email: account.email } : {}) };
  }

  /** Sets the password a link asks for (and, for the set-up link, creates the first administrator). The link then stops working. */
  async acceptLink(token: string, password: string, email: string | undefined, address?: string): Promise<AccountRecord> {
    const known = await this.#linkRecord(token);
    if (!known) throw new AppError("not-found", "This link is unknown, used or expired. Ask an administrator for a new one.");
    const existing = known.accountId ? await this.deps.accounts.get(known.accountId) : undefined;
    const target = existing?.email ?? (email === undefined ? undefined : checkEmail(email));
    if (!target) throw new AppError("bad-request", "Give the e-mail address of the first administrator.");
    const problem = await passwordProblem(password, target);
    if (problem) throw new PasswordRefusedError(problem);
    const passwordHash = await hashPassword(password);
    // Taken only now, so a refused password leaves the link usable; of two concurrent uses one wins.
    const taken = await this.deps.links.take(known.tokenHash);
    if (!taken) throw new AppError("not-found", "This link is unknown, used or expired. Ask an administrator for a new one.");
    const now = this.#now().toISOString();
    let account: AccountRecord;
    if (existing) {
      if (existing.status === "disabled") throw new AppError("conflict", "This account is disabled.");
      account = { ...existing, status: "active", passwordHash, updatedAt: now };
      await this.deps.accounts.put(account);
      await this.deps.sessions.deleteForAccount(account.id);
    } else {
      if ((await this.deps.accounts.list()).length > 0) throw new AppError("conflict", "Botschaft is set up already; ask an administrator for an invitation.");
      account = { id: randomUUID(), email: target, roles: taken.roles ?? ["admin"], status: "active", passwordHash, createdAt: now, updatedAt: now };
      await this.deps.accounts.create(account).catch((error: unknown) => {
        if (error instanceof StoreError && error.code === "account-exists") throw new AppError("conflict", `${target} has an account already.`);
        throw error;
      });
    }
    await this.deps.audit.record({ actor: account.email, ...(address ? { address } : {}) }, { action: `account.${taken.purpose === "reset" ? "password-reset" : "activate"}`, target: account.email });
    return account;
  }

  // ── sign-in and sessions ────────────────────────────────────────────────────────────────

  #throttleKeys(email: string, address: string | undefined): string[] {
    return [`account:${this.#hash("sign-in", email)}`, ...(address ? [`address:${address}`] : [])];
  }

  async #throttled(keys: readonly string[]): Promise<number | undefined> {
    const now = this.#now().getTime();
    const since = new Date(now - this.policy.throttleWindowMs).toISOString();
    let wait: number | undefined;
    for (const key of keys) {
      const { count, earliest } = await this.deps.attempts.count(key, since);
      if (count < this.policy.throttleAttempts || !earliest) continue;
      const seconds = Math.max(1, Math.ceil((Date.parse(earliest) + this.policy.throttleWindowMs - now) / 1000));
      wait = Math.max(wait ?? 0, seconds);
    }
    return wait;
  }

  /** Checks e-mail and password; the same refusal, in the same time, for an unknown address and a wrong password. */
  async signIn(email: string, password: string, address?: string): Promise<Session> {
    const normal = normaliseEmail(email);
    const keys = this.#throttleKeys(normal, address);
    const wait = await this.#throttled(keys);
    const by = { actor: "anonymous", ...(address ? { address } : {}) };
    if (wait !== undefined) {
      await this.deps.audit.record(by, { action: "session.sign-in", target: normal, outcome: "denied", details: { reason: "throttled" } });
      throw new ThrottledError(wait);
    }
    const account = await this.deps.accounts.findByEmail(normal);
    const usable = account?.status === "active" && account.passwordHash !== undefined;
    // Always one scrypt run: the time does not tell whether the address has an account.
    const matches = await verifyPassword(password, usable ? (account.passwordHash as string) : await dummyPasswordHash());
    if (!account || !usable || !matches) {
      await this.deps.attempts.record(keys, this.#now().toISOString());
      await this.deps.audit.record(by, { action: "session.sign-in", target: normal, outcome: "failed" });
      throw new AppError("unauthorized", signInFailed);
    }
    await this.deps.attempts.clear(keys[0] as string);
    const session = await this.#startSession(account);
    await this.deps.audit.record({ actor: account.email, ...(address ? { address } : {}) }, { action: "session.sign-in", details: { method: "password" } });
    return session;
  }

  async #startSession(account: AccountRecord): Promise<Session> {
    const cookie = generateBearerToken();
    const now = this.#now();
    const expiresAt = this.#later(Math.min(this.policy.sessionIdleMs, this.policy.sessionMaxMs));
    await this.deps.sessions.create({ idHash: this.#hash("session", cookie), accountId: account.id, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt });
    return { cookie, expiresAt };
  }

  /** The signed-in person behind a session cookie, while the session lasts and the account is active. */
  async principalForSession(cookie: string): Promise<Principal | undefined> {
    const idHash = this.#hash("session", cookie);
    const session = await this.deps.sessions.get(idHash);
    const now = this.#now().getTime();
    if (!session) return undefined;
    if (Date.parse(session.expiresAt) <= now) {
      await this.deps.sessions.delete(idHash);
      return undefined;
    }
    const account = await this.deps.accounts.get(session.accountId);
    if (account?.status !== "active") {
      await this.deps.sessions.delete(idHash);
      return undefined;
    }
    // Recorded at most once a minute: a busy editor must not write on every request.
    if (now - Date.parse(session.lastSeenAt) > 60_000) {
      const expiresAt = new Date(Math.min(now + this.policy.sessionIdleMs, Date.parse(session.createdAt) + this.policy.sessionMaxMs)).toISOString();
      await this.deps.sessions.touch(idHash, new Date(now).toISOString(), expiresAt);
    }
    return { kind: "account", id: account.id, name: account.email, roles: account.roles };
  }

  async signOut(cookie: string, by: AuditActor): Promise<void> {
    if (await this.deps.sessions.delete(this.#hash("session", cookie))) await this.deps.audit.record(by, { action: "session.sign-out" });
  }

  /** The CSRF token of a session: derived from its cookie, so nothing more is stored. */
  csrfToken(cookie: string): string {
    return this.#hash("csrf", cookie);
  }

  csrfTokenMatches(cookie: string, token: string): boolean {
    const expected = Buffer.from(this.csrfToken(cookie));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  // ── single sign-on ──────────────────────────────────────────────────────────────────────

  /**
   * Signs in a person the identity provider vouched for. The account is found by the provider's
   * identity (then by e-mail, linking it once) or created; its roles follow the provider's claim
   * on every sign-in. A disabled account stays out.
   */
  async signInWithSso(identity: { issuer: string; subject: string; email: string; roles: TeamRole[] }, address?: string): Promise<Session> {
    const email = checkEmail(identity.email);
    const by = { actor: email, ...(address ? { address } : {}) };
    if (identity.roles.length === 0) {
      await this.deps.audit.record(by, { action: "session.sign-in", outcome: "denied", details: { method: "sso", reason: "no role" } });
      throw new AppError("forbidden", "Your sign-in carries no Botschaft role; ask your administrator.");
    }
    const now = this.#now().toISOString();
    let account = (await this.deps.accounts.findBySso(identity.issuer, identity.subject)) ?? (await this.deps.accounts.findByEmail(email));
    if (account?.status === "disabled") {
      await this.deps.audit.record(by, { action: "session.sign-in", outcome: "denied", details: { method: "sso", reason: "disabled" } });
      throw new AppError("forbidden", "This account is disabled.");
    }
    if (account) {
      account = { ...account, email, roles: identity.roles, status: "active", sso: { issuer: identity.issuer, subject: identity.subject }, updatedAt: now };
      await this.deps.accounts.put(account);
    } else {
      account = { id: randomUUID(), email, roles: identity.roles, status: "active", sso: { issuer: identity.issuer, subject: identity.subject }, createdAt: now, updatedAt: now };
      await this.deps.accounts.create(account);
    }
    const session = await this.#startSession(account);
    await this.deps.audit.record(by, { action: "session.sign-in", details: { method: "sso", roles: identity.roles.join(" ") } });
    return session;
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────────

  async #account(email: string): Promise<AccountRecord> {
    const account = await this.deps.accounts.findByEmail(normaliseEmail(email));
    if (!account) throw new AppError("not-found", `There is no account for ${normaliseEmail(email)}.`);
    return account;
  }

  list(): Promise<AccountRecord[]> {
    return this.deps.accounts.list();
  }

  async setRoles(email: string, roles: readonly string[], by: AuditActor): Promise<AccountRecord> {
    const account = await this.#account(email);
    const granted = checkRoles(roles);
    await this.#keepAnAdmin(account, granted, account.status);
    const changed = { ...account, roles: granted, updatedAt: this.#now().toISOString() };
    await this.deps.accounts.put(changed);
    await this.deps.audit.record(by, { action: "account.roles", target: account.email, details: { roles: granted.join(" "), before: account.roles.join(" ") } });
    return changed;
  }

  /** Disables an account: its sessions end at once and its links stop working; nothing is deleted (the audit trail names it). */
  async disable(email: string, by: AuditActor): Promise<AccountRecord> {
    const account = await this.#account(email);
    await this.#keepAnAdmin(account, account.roles, "disabled");
    const changed = { ...account, status: "disabled" as const, updatedAt: this.#now().toISOString() };
    await this.deps.accounts.put(changed);
    await this.deps.sessions.deleteForAccount(account.id);
    await this.deps.links.deleteForAccount(account.id);
    await this.deps.audit.record(by, { action: "account.disable", target: account.email });
    return changed;
  }

  async enable(email: string, by: AuditActor): Promise<AccountRecord> {
    const account = await this.#account(email);
    const status = account.passwordHash || account.sso ? ("active" as const) : ("invited" as const);
    const changed = { ...account, status, updatedAt: this.#now().toISOString() };
    await this.deps.accounts.put(changed);
    await this.deps.audit.record(by, { action: "account.enable", target: account.email });
    return changed;
  }

  /** Nobody may take away the last active administrator: the installation would lock itself out. */
  async #keepAnAdmin(account: AccountRecord, roles: readonly TeamRole[], status: AccountRecord["status"]): Promise<void> {
    const staysAdmin = status === "active" && roles.includes("admin");
    if (staysAdmin || !(account.status === "active" && account.roles.includes("admin"))) return;
    const admins = (await this.deps.accounts.list()).filter((other) => other.status === "active" && other.roles.includes("admin"));
    if (admins.length <= 1) throw new AppError("conflict", "This is the last active administrator; make someone else an administrator first.");
  }

  // ── API tokens ──────────────────────────────────────────────────────────────────────────

  async createToken(name: string, roles: readonly string[], by: AuditActor): Promise<{ token: string; record: ApiTokenRecord }> {
    const label = name.trim();
    if (label.length === 0 || label.length > 80) throw new AppError("bad-request", "Give the token a name of 1 to 80 characters.");
    const granted = checkRoles(roles);
    const token = generateBearerToken();
    const record: ApiTokenRecord = { id: randomUUID(), name: label, tokenHash: this.#hash("api-token", token), roles: granted, createdAt: this.#now().toISOString(), createdBy: by.actor };
    await this.deps.tokens.create(record);
    await this.deps.audit.record(by, { action: "token.create", target: label, details: { roles: granted.join(" ") } });
    return { token, record };
  }

  listTokens(): Promise<ApiTokenRecord[]> {
    return this.deps.tokens.list();
  }

  async revokeToken(id: string, by: AuditActor): Promise<void> {
    const record = (await this.deps.tokens.list()).find((token) => token.id === id);
    if (!record || !(await this.deps.tokens.delete(id))) throw new AppError("not-found", "There is no such token.");
    // This instance forgets it at once; another instance within `tokenCacheMs`.
    for (const [key, cached] of this.#tokenCache) if (cached.principal.id === id) this.#tokenCache.delete(key);
    await this.deps.audit.record(by, { action: "token.revoke", target: record.name });
  }

  /** The principal behind an `Authorization: Bearer` token: an API token, or the configured admin token. */
  async principalForToken(token: string): Promise<Principal | undefined> {
    const configured = this.deps.configuredAdminToken;
    if (configured !== undefined) {
      const a = Buffer.from(this.#hash("api-token", token));
      const b = Buffer.from(this.#hash("api-token", configured));
      if (timingSafeEqual(a, b)) return { kind: "token", id: "configured-admin-token", name: "token:BOTSCHAFT_ADMIN_TOKEN", roles: ["admin"] };
    }
    if (this.deps.legacyAdminTokenHash !== undefined && bearerTokenMatches(this.deps.keys, token, this.deps.legacyAdminTokenHash)) {
      return { kind: "token", id: "generated-admin-token", name: "token:admin token of the first start", roles: ["admin"] };
    }
    const hashes = this.#hashes("api-token", token);
    const key = hashes[0] as string;
    const cached = this.#tokenCache.get(key);
    if (cached && cached.until > performance.now()) return cached.principal;
    for (const hash of hashes) {
      const record = await this.deps.tokens.findByHash(hash);
      if (!record) continue;
      const principal: Principal = { kind: "token", id: record.id, name: `token:${record.name}`, roles: record.roles };
      if (this.#tokenCache.size >= tokenCacheLimit) this.#tokenCache.clear();
      this.#tokenCache.set(key, { principal, until: performance.now() + tokenCacheMs });
      return principal;
    }
    return undefined;
  }

  /** Housekeeping: expired sessions, links and old failed sign-ins. */
  async sweep(): Promise<void> {
    const now = this.#now();
    await this.deps.sessions.deleteExpired(now.toISOString());
    await this.deps.links.deleteExpired(now.toISOString());
    await this.deps.attempts.deleteBefore(new Date(now.getTime() - this.policy.throttleWindowMs).toISOString());
  }
}
