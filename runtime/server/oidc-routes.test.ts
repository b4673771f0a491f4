/**
 * Single sign-on against a real OpenID provider (`oidc-provider`) started in the test: the
 * authorization code flow with PKCE end to end, roles mapped from a claim, a disabled account
 * kept out, and a forged callback refused.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime, testKeys } from "../testing/create-test-runtime.ts";
import type { OidcConfig } from "./config.ts";
import { discoverOidc, oidcRoutes, rolesFromClaim } from "./oidc-routes.ts";
import { sessionCookie } from "./team-auth.ts";

const people: Record<string, { email: string; groups: string[] }> = {
  erika: { email: "erika@muster.example", groups: ["marketing", "staff"] },
  dora: { email: "dora@muster.example", groups: ["datenschutz"] },
  nobody: { email: "nobody@muster.example", groups: ["staff"] },
};
const redirectUri = "https://bot.muster.example/auth/oidc/callback";

let issuer = "";
let server: Server;

beforeAll(async () => {
  const provider = new Provider("http://127.0.0.1", {
    clients: [{ client_id: "botschaft", client_secret: "botschaft-client-secret", redirect_uris: [redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["groups"] },
    conformIdTokenClaims: false,
    findAccount: async (_context, id) => {
      const person = people[id];
      return person ? { accountId: id, claims: async () => ({ sub: id, email: person.email, email_verified: true, groups: person.groups }) } : undefined;
    },
    features: { devInteractions: { enabled: true } },
  });
  await new Promise<void>((resolve) => {
    server = provider.listen(0, "127.0.0.1", () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The provider was created before its port was known; tell it where it is.
  (provider as unknown as { issuer: string }).issuer = issuer;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = (): OidcConfig => ({ issuer, clientId: "botschaft", clientSecret: "botschaft-client-secret", rolesClaim: "groups", roleMap: { marketing: "editor", datenschutz: "dpo" } });

/** A browser at the provider: follows redirects by hand, keeps its cookies, submits the dev login and consent forms. */
async function signInAtProvider(start: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; "), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      ...(body ? { body: body.toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = (pair ?? "").split("=");
      if (name) jar.set(name.trim(), value.join("="));
    }
    body = undefined;
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next;
      continue;
    }
    const html = await response.text();
    const action = /action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the provider answered ${response.status} without a form`);
    url = new URL(action.replaceAll("&amp;", "&"), url);
    body = /name="login"/.test(html) ? new URLSearchParams({ prompt: "login", login, password: "any" }) : new URLSearchParams({ prompt: "consent" });
  }
  throw new Error("too many redirects");
}

async function runtimeWithSso(): Promise<TestRuntime> {
  const client = await discoverOidc(config());
  const runtime = await createTestRuntime({
    logLevel: "silent",
    team: {
      publicUrl: "https://bot.muster.example",
      singleSignOn: (accounts) => oidcRoutes({ config: config(), client, redirectUri, cookie: sessionCookie("https://bot.muster.example"), sealing: testKeys.stateEncryption }, accounts),
    },
  });
  return runtime;
}

async function ssoSignIn(runtime: TestRuntime, login: string) {
  const start = await request(runtime.app).get("/auth/oidc/login").expect(303);
  const transaction = (start.headers["set-cookie"] as unknown as string[]).find((cookie) => cookie.startsWith("botschaft-oidc="))?.split(";")[0] ?? "";
  expect(transaction).not.toBe("");
  const back = await signInAtProvider(start.headers.location as string, login);
  return request(runtime.app).get(`${back.pathname}${back.search}`).set("cookie", transaction);
}

describe("single sign-on with OpenID Connect", () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await runtimeWithSso();
  });
  afterAll(() => runtime.close());

  it("maps the roles claim: values in the role map and values named like a role", () => {
    expect(rolesFromClaim(["marketing", "admin", "staff"], { marketing: "editor" })).toEqual(["editor", "admin"]);
    expect(rolesFromClaim("datenschutz agent", { datenschutz: "dpo" })).toEqual(["dpo", "agent"]);
    expect(rolesFromClaim(undefined, {})).toEqual([]);
  });

  it("signs a person in through the provider, creates the account with the mapped roles, and starts a session", async () => {
    const callback = await ssoSignIn(runtime, "erika");
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe("/editor/");
    const session = (callback.headers["set-cookie"] as unknown as string[]).find((cookie) => cookie.startsWith("__Host-botschaft-session="));
    expect(session).toMatch(/HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    const who = await request(runtime.app).get("/api/v1/session").set("cookie", session?.split(";")[0] ?? "").expect(200);
    expect(who.body).toMatchObject({ email: "erika@muster.example", roles: ["editor"] });
    const account = (await runtime.accounts.list()).find((candidate) => candidate.email === "erika@muster.example");
    expect(account?.sso).toEqual({ issuer, subject: "erika" });
  });

  it("refuses a person whose claim carries no Botschaft role, and a disabled account", async () => {
    expect((await ssoSignIn(runtime, "nobody")).status).toBe(403);
    await ssoSignIn(runtime, "dora");
    await runtime.accounts.disable("dora@muster.example", { actor: "test" });
    expect((await ssoSignIn(runtime, "dora")).status).toBe(403);
  });

  it("refuses a callback that did not start here", async () => {
    await request(runtime.app).get("/auth/oidc/callback?code=stolen&state=forged").expect(401);
    const start = await request(runtime.app).get("/auth/oidc/login").expect(303);
    const transaction = (start.headers["set-cookie"] as unknown as string[])[0]?.split(";")[0] ?? "";
    await request(runtime.app).get("/auth/oidc/callback?code=stolen&state=forged").set("cookie", transaction).expect(401);
  });
});
