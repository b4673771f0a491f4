/**
 * Single sign-on with OpenID Connect (`openid-client`): `GET /auth/oidc/login` sends the browser
 * to the identity provider (authorization code flow with PKCE, state and nonce); the provider
 * sends it back to `GET /auth/oidc/callback`, which checks everything, maps the roles claim to
 * Botschaft roles and starts a session. The flow's secrets travel in a short-lived cookie sealed
 * with the runtime's key, so no instance needs to remember anything between the two requests.
 * Configured with BOTSCHAFT_OIDC_* (docs/accounts.md#single-sign-on).
 */
import { Router } from "express";
import * as oidc from "openid-client";
import type { AccountService } from "../app/accounts/account-service.ts";
import { isTeamRole, type TeamRole } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import type { KeyRing } from "../app/crypto/keys.ts";
import { openSealedJson, sealJson } from "../app/crypto/sealing.ts";
import type { OidcConfig } from "./config.ts";
import { setSessionCookie } from "./session-routes.ts";
import { clientAddress, cookieOf, type SessionCookie } from "./team-auth.ts";

export interface OidcSetup {
  config: OidcConfig;
  /** The provider's metadata and our client, from discovery at start-up. */
  client: oidc.Configuration;
  /** `<public URL>/auth/oidc/callback`, registered with the provider. */
  redirectUri: string;
  cookie: SessionCookie;
  sealing: KeyRing;
}

const transactionCookie = "botschaft-oidc";
const transactionLifetimeMs = 10 * 60_000;
const sealContext = "oidc-transaction";

interface Transaction {
  verifier: string;
  state: string;
  nonce: string;
  expires: number;
}

/** Discovers the provider; plain `http:` issuers are accepted only on this machine (tests, local set-ups). */
export async function discoverOidc(config: OidcConfig): Promise<oidc.Configuration> {
  const issuer = new URL(config.issuer);
  const local = issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
  return oidc.discovery(issuer, config.clientId, config.clientSecret, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined);
}

/** The Botschaft roles a claim grants: values mapped by BOTSCHAFT_OIDC_ROLE_MAP, or equal to a role name. */
export function rolesFromClaim(value: unknown, roleMap: Record<string, string>): TeamRole[] {
  const values = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/) : [];
  const roles = new Set<TeamRole>();
  for (const item of values) {
    if (typeof item !== "string") continue;
    const mapped = Object.hasOwn(roleMap, item) ? roleMap[item] : item;
    if (isTeamRole(mapped)) roles.add(mapped);
  }
  return [...roles];
}

export function oidcRoutes(setup: OidcSetup, accounts: AccountService): Router {
  const router = Router();
  const secure = setup.cookie.secure ? "; Secure" : "";

  router.get("/login", async (_request, response) => {
    const transaction: Transaction = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      expires: Date.now() + transactionLifetimeMs,
    };
    const url = oidc.buildAuthorizationUrl(setup.client, {
      redirect_uri: setup.redirectUri,
      scope: "openid email profile",
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.verifier),
      code_challenge_method: "S256",
      state: transaction.state,
      nonce: transaction.nonce,
    });
    // SameSite=Lax: the provider's redirect back is a cross-site navigation, which Strict would strip.
    const sealed = sealJson(transaction, setup.sealing, sealContext);
    response.append("set-cookie", `${transactionCookie}=${sealed}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=${transactionLifetimeMs / 1000}${secure}`);
    response.redirect(303, url.href);
  });

  router.get("/callback", async (request, response) => {
    const sealed = cookieOf(request, transactionCookie);
    let transaction: Transaction | undefined;
    try {
      transaction = sealed ? (openSealedJson(sealed, setup.sealing, sealContext) as Transaction) : undefined;
    } catch {
      transaction = undefined;
    }
    if (!transaction || transaction.expires < Date.now()) throw new AppError("unauthorized", "The sign-in took too long or did not start here; please start again.");
    response.append("set-cookie", `${transactionCookie}=; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0${secure}`);
    const current = new URL(request.originalUrl, setup.redirectUri);
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(setup.client, current, {
        pkceCodeVerifier: transaction.verifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
      });
      claims = { ...(tokens.claims() ?? {}) };
      // Some providers put groups only into userinfo.
      if (claims[setup.config.rolesClaim] === undefined || claims.email === undefined) {
        const info = await oidc.fetchUserInfo(setup.client, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims, [setup.config.rolesClaim]: claims[setup.config.rolesClaim] ?? info[setup.config.rolesClaim] };
      }
    } catch (error) {
      throw new AppError("unauthorized", `The identity provider's answer was refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof claims.sub !== "string" || typeof claims.email !== "string") throw new AppError("unauthorized", "The identity provider sent no e-mail address.");
    if (claims.email_verified === false) throw new AppError("unauthorized", "The identity provider has not verified this e-mail address.");
    const issuer = setup.client.serverMetadata().issuer;
    const session = await accounts.signInWithSso(
      { issuer, subject: claims.sub, email: claims.email, roles: rolesFromClaim(claims[setup.config.rolesClaim], setup.config.roleMap) },
      clientAddress(request),
    );
    setSessionCookie(response, setup.cookie, session.cookie, Math.floor(accounts.policy.sessionMaxMs / 1000));
    response.redirect(303, "/editor/");
  });

  return router;
}
