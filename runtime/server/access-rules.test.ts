import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { allows } from "../core/index.ts";
import { createTestRuntime, type TestMember, type TestRuntime, testAdminToken } from "../testing/create-test-runtime.ts";
import { type AccessRule, accessRules, ruleFor } from "./access-rules.ts";

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
  name?: string;
}

/** Every route Express knows, with its full path, by walking the router stack. */
function routesOf(stack: Layer[], prefix = ""): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) found.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
      found.push(...routesOf(layer.handle.stack, prefix + mount));
    }
  }
  return found;
}

/** Routes outside the team side: the web chat API has its own bearer tokens, the rest is public or has its own checks. */
const outsideTeam = /^\/api\/v1\/conversations/;

describe("access rules", () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await createTestRuntime({ logLevel: "silent", web: { editor: { flowsDir: "/nonexistent", examplesDir: "/nonexistent", distDir: "/nonexistent" } } });
  });

  it("has a rule for every team route Express knows, and a route for every rule", () => {
    const router = (runtime.app as unknown as { router: { stack: Layer[] } }).router;
    const teamRoutes = routesOf(router.stack).filter(({ path }) => path.startsWith("/api/v1/") && !outsideTeam.test(path));
    expect(teamRoutes.length).toBeGreaterThan(20);
    const withoutRule = teamRoutes.filter(({ method, path }) => ruleFor(method, path.replace(/:(\w+)/g, "x")) === undefined);
    expect(withoutRule).toEqual([]);
    const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
    expect(accessRules.map(key).sort()).toEqual([...new Set(teamRoutes.map(key))].sort());
  });

  it("answers 404 to a team path no rule covers, for everyone", async () => {
    await request(runtime.app).get("/api/v1/admin/secrets").set("authorization", `Bearer ${testAdminToken}`).expect(404);
    await request(runtime.app).post("/api/v1/accounts/x/promote").set("authorization", `Bearer ${testAdminToken}`).expect(404);
  });

  describe("each route with each role", () => {
    const members: Record<string, TestMember> = {};
    beforeAll(async () => {
      for (const role of ["admin", "editor", "agent", "dpo"] as const) members[role] = await runtime.member([role]);
    });

    const concrete = (rule: AccessRule) => rule.path.replace(/:(\w+)/g, "unknown-id");

    it.each(accessRules.filter((rule) => rule.access !== "public"))("$method $path: only the roles with $access pass", async (rule) => {
      const call = (headers: Record<string, string>) => {
        let pending = request(runtime.app)[rule.method.toLowerCase() as "get"](concrete(rule));
        for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
        // An event stream never ends: the status is all this test needs, so the body is dropped at once.
        if (rule.path.endsWith("/events")) {
          pending = pending.buffer(false).parse((response, done) => {
            (response as unknown as { destroy(): void }).destroy();
            done(null, undefined);
          });
        }
        return pending;
      };
      const anonymous = await call({});
      expect(anonymous.status).toBe(401);
      // Signing out ends the session: that route gets members of its own.
      const signsOut = rule.method === "DELETE" && rule.path === "/api/v1/session";
      const callers = signsOut ? Object.fromEntries(await Promise.all(Object.keys(members).map(async (role) => [role, await runtime.member([role as "admin"])]))) : members;
      for (const [role, member] of Object.entries(callers) as [string, TestMember][]) {
        const response = await call({ cookie: member.cookie, "x-csrf-token": member.csrf });
        const allowed = rule.access === "signed-in" || rule.access === "public" || allows([role as "admin"], rule.access);
        // Allowed callers get past the rule: whatever the route then says, it is not 401 or 403 for the role.
        if (allowed) expect({ role, status: response.status }).not.toMatchObject({ status: expect.toSatisfy((status: number) => status === 401 || status === 403) });
        else expect({ role, status: response.status }).toEqual({ role, status: 403 });
      }
    });
  });
});
