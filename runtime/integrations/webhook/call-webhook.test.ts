import { isIP } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type CallWebhookOptions, callWebhook, type WebhookRequest } from "./call-webhook.ts";
import { confineConnectionsToLoopback } from "./confine-connections-to-loopback.ts";
import type { ResolveHost } from "./create-checked-lookup.ts";
import { createTestCertificate, type TestCertificate } from "./create-test-certificate.ts";
import { type HttpsTestServer, startHttpsTestServer, type TestRoute } from "./start-https-test-server.ts";

let certificate: TestCertificate;
/** The webhook receiver, allow-listed as `localhost:<port>` by default. */
let hooks: HttpsTestServer;
/** A second server standing for "somewhere else on this machine": never allow-listed by default. */
let elsewhere: HttpsTestServer;

beforeAll(async () => {
  certificate = await createTestCertificate();
  hooks = await startHttpsTestServer(certificate);
  elsewhere = await startHttpsTestServer(certificate);
});

afterAll(async () => {
  await hooks.close();
  await elsewhere.close();
});

/** Every TLS connection attempt; only loopback ones get through (see the helper). */
let connect: ReturnType<typeof confineConnectionsToLoopback>;

beforeEach(() => {
  hooks.reset();
  elsewhere.reset();
  connect = confineConnectionsToLoopback();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const body = { name: "Anna Beispiel", phone: "+49 30 1234567", callback: true };

function webhookRequest(url: string, timeoutMs = 5_000): WebhookRequest {
  return { url, body, timeoutMs };
}

function options(overrides: Partial<CallWebhookOptions> = {}): CallWebhookOptions {
  return {
    userAgent: "Botschaft-test/1",
    trustedCa: certificate.cert,
    allowHosts: [`localhost:${hooks.port}`],
    ...overrides,
  };
}

function hookUrl(path: string, server: HttpsTestServer = hooks): string {
  return `https://localhost:${server.port}${path}`;
}

function reply(status: number, text: string, contentType = "application/json"): TestRoute {
  return (response) => {
    response.writeHead(status, { "content-type": contentType }).end(text);
  };
}

function redirect(status: number, location: string): TestRoute {
  return (response) => {
    response.writeHead(status, { location }).end();
  };
}

/** Simulated DNS: each name answers with the given addresses, unknown names with none. */
function resolverFor(answers: Record<string, string[]>): ResolveHost {
  return async (hostname) => (answers[hostname] ?? []).map((address) => ({ address, family: isIP(address) }));
}

describe("callWebhook", () => {
  describe("replies", () => {
    it("returns the status and JSON of a 2xx reply", async () => {
      hooks.route("/hook", reply(201, JSON.stringify({ ticket: { id: 42 } })));
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: true,
        status: 201,
        json: { ticket: { id: 42 } },
      });
    });

    it("sends only the given fields, as a JSON POST without cookies or credentials", async () => {
      hooks.route("/hook", reply(200, "{}"));
      const url = `https://user:secret@localhost:${hooks.port}/hook?source=bot#fragment`;
      await callWebhook(webhookRequest(url), options());
      expect(hooks.requests).toHaveLength(1);
      const [received] = hooks.requests;
      expect(received).toMatchObject({ method: "POST", path: "/hook?source=bot", body: JSON.stringify(body) });
      expect(Object.keys(received?.headers ?? {}).sort()).toEqual([
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "content-type",
        "host",
        "user-agent",
      ]);
      expect(received?.headers).toMatchObject({ "content-type": "application/json", "user-agent": "Botschaft-test/1" });
    });

    it("accepts a JSON body whatever content type it is served with", async () => {
      hooks.route("/hook", reply(200, '{"ok":1}', "text/plain"));
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: true,
        status: 200,
        json: { ok: 1 },
      });
    });

    it.each([
      ["an HTML page", "<html><body>Welcome</body></html>"],
      ["an empty body", ""],
      ["JSON cut short", '{"ticket":'],
    ])("reports %s as invalid-json", async (_, text) => {
      hooks.route("/hook", reply(200, text, "text/html"));
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: false,
        reason: "invalid-json",
        status: 200,
      });
    });

    it("reports a body that is not UTF-8 as invalid-json", async () => {
      hooks.route("/hook", (response) => {
        response.writeHead(200, { "content-type": "application/json" }).end(Buffer.from([0x22, 0xff, 0x22]));
      });
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: false,
        reason: "invalid-json",
        status: 200,
      });
    });

    it("succeeds with null JSON on a 204, which has no body by definition", async () => {
      hooks.route("/hook", (response) => {
        response.writeHead(204).end();
      });
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: true,
        status: 204,
        json: null,
      });
    });

    it.each([500, 404, 429])("reports status %i as http-status", async (status) => {
      hooks.route("/hook", reply(status, JSON.stringify({ error: "nope" })));
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: false,
        reason: "http-status",
        status,
      });
    });

    it("reports a 3xx that does not redirect as http-status", async () => {
      hooks.route("/hook", (response) => {
        response.writeHead(304).end();
      });
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: false,
        reason: "http-status",
        status: 304,
      });
    });

    it("aborts a reply that keeps growing once it passes the size cap", async () => {
      let closedEarly: Promise<boolean> = Promise.resolve(false);
      hooks.route("/hook", (response) => {
        response.writeHead(200, { "content-type": "application/json" });
        const chunk = " ".repeat(16 * 1024);
        // Never ends by itself: only an abort on the client side gets this call to return.
        const timer = setInterval(() => response.write(chunk), 2);
        closedEarly = new Promise((resolve) => {
          response.on("close", () => {
            clearInterval(timer);
            resolve(!response.writableFinished);
          });
        });
      });
      const result = await callWebhook(webhookRequest(hookUrl("/hook")), options({ maxResponseBytes: 64 * 1024 }));
      expect(result).toEqual({ ok: false, reason: "too-large", status: 200 });
      expect(await closedEarly).toBe(true);
    });

    it("refuses a declared length over the default cap of 256 KiB without reading the body", async () => {
      hooks.route("/hook", (response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 256 * 1024 + 1 });
        response.write("[");
      });
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options())).toEqual({
        ok: false,
        reason: "too-large",
        status: 200,
      });
    });

    it("accepts a reply of exactly the size cap", async () => {
      const text = JSON.stringify("x".repeat(98));
      hooks.route("/hook", reply(200, text));
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options({ maxResponseBytes: 100 }))).toEqual({
        ok: true,
        status: 200,
        json: "x".repeat(98),
      });
    });

    it("reports an untrusted certificate as a network failure", async () => {
      hooks.route("/hook", reply(200, "{}"));
      expect(await callWebhook(webhookRequest(hookUrl("/hook")), options({ trustedCa: undefined }))).toEqual({
        ok: false,
        reason: "network",
      });
      expect(hooks.requests).toEqual([]);
    });

    it("reports a name that does not resolve as a network failure", async () => {
      const result = await callWebhook(webhookRequest("https://hooks.test/hook"), options({ lookup: resolverFor({}) }));
      expect(result).toEqual({ ok: false, reason: "network" });
    });
  });

  // The bound on how long these take is the test timeout; the webhook's own budget is 100 ms.
  describe("timeout", () => {
    it("gives up on a server that never answers", async () => {
      hooks.route("/hook", () => {});
      expect(await callWebhook(webhookRequest(hookUrl("/hook"), 100), options())).toEqual({
        ok: false,
        reason: "timeout",
      });
    });

    it("counts a body that never ends against the same budget", async () => {
      hooks.route("/hook", (response) => {
        response.writeHead(200, { "content-type": "application/json" }).write('{"ticket":');
      });
      expect(await callWebhook(webhookRequest(hookUrl("/hook"), 100), options())).toEqual({
        ok: false,
        reason: "timeout",
      });
    });

    it("counts a DNS lookup that never answers against the same budget", async () => {
      const neverResolves: ResolveHost = () => new Promise(() => {});
      const result = await callWebhook(
        webhookRequest("https://hooks.test/hook", 100),
        options({ lookup: neverResolves }),
      );
      expect(result).toEqual({ ok: false, reason: "timeout" });
    });
  });

  describe("refused targets", () => {
    it.each(["http://localhost:PORT/hook", "ftp://localhost:PORT/hook", "https://[not-an-address]/hook"])(
      "refuses %s as not-https without connecting",
      async (url) => {
        const result = await callWebhook(webhookRequest(url.replace("PORT", String(hooks.port))), options());
        expect(result).toEqual({ ok: false, reason: "not-https" });
        expect(hooks.connections()).toBe(0);
      },
    );

    it.each([
      "https://127.0.0.1:PORT/hook",
      "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
      "https://[::1]:PORT/hook",
      "https://[::ffff:127.0.0.1]:PORT/hook",
      "https://[::ffff:169.254.169.254]/latest/meta-data/",
      "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
      "https://10.0.0.1/hook",
      "https://192.168.1.1/hook",
      "https://0.0.0.0:PORT/hook",
      "https://2130706433:PORT/hook",
      "https://0x7f.1:PORT/hook",
      "https://017700000001:PORT/hook",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://METADATA.google.internal./computeMetadata/v1/",
    ])("refuses %s without any connection attempt", async (url) => {
      const lookup = vi.fn(resolverFor({}));
      const result = await callWebhook(webhookRequest(url.replace("PORT", String(hooks.port))), options({ lookup }));
      expect(result).toEqual({ ok: false, reason: "blocked-address" });
      expect(connect).not.toHaveBeenCalled();
      expect(lookup).not.toHaveBeenCalled();
      expect(hooks.connections()).toBe(0);
    });

    it("refuses a name resolving to loopback through the system resolver", async () => {
      hooks.route("/hook", reply(200, "{}"));
      const result = await callWebhook(webhookRequest(hookUrl("/hook")), options({ allowHosts: [] }));
      expect(result).toEqual({ ok: false, reason: "blocked-address" });
      expect(hooks.connections()).toBe(0);
    });

    it("does not extend an allow-listed host to its other ports", async () => {
      hooks.route("/hook", reply(200, "{}"));
      const result = await callWebhook(
        webhookRequest(hookUrl("/hook")),
        options({ allowHosts: [`localhost:${elsewhere.port}`] }),
      );
      expect(result).toEqual({ ok: false, reason: "blocked-address" });
      expect(hooks.connections()).toBe(0);
    });

    it.each([
      [["10.0.0.5"]],
      [["93.184.215.14", "10.0.0.5"]],
      [["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"]],
      [["169.254.169.254"]],
      [["100.100.100.200"]],
      [["fd00:ec2::254"]],
      [["::ffff:10.0.0.5"]],
    ])("refuses a name whose DNS answer includes a non-public address: %j", async (addresses) => {
      const lookup = vi.fn(resolverFor({ "hooks.test": addresses }));
      const result = await callWebhook(webhookRequest("https://hooks.test/hook"), options({ lookup }));
      expect(result).toEqual({ ok: false, reason: "blocked-address" });
      expect(lookup).toHaveBeenCalledWith("hooks.test");
    });

    it("checks the address the connection would really use, not just the name", async () => {
      hooks.route("/hook", reply(200, "{}"));
      const lookup = resolverFor({ "hooks.test": ["127.0.0.1"] });
      const url = `https://hooks.test:${hooks.port}/hook`;
      expect(await callWebhook(webhookRequest(url), options({ lookup }))).toEqual({
        ok: false,
        reason: "blocked-address",
      });
      expect(hooks.connections()).toBe(0);
      expect(
        await callWebhook(webhookRequest(url), options({ lookup, allowHosts: [`hooks.test:${hooks.port}`] })),
      ).toEqual({ ok: true, status: 200, json: {} });
    });

    it("reaches an allow-listed literal address", async () => {
      hooks.route("/hook", reply(200, "[1]"));
      const url = `https://127.0.0.1:${hooks.port}/hook`;
      expect(await callWebhook(webhookRequest(url), options({ allowHosts: [`127.0.0.1:${hooks.port}`] }))).toEqual({
        ok: true,
        status: 200,
        json: [1],
      });
    });
  });

  describe("redirects", () => {
    it.each([301, 302, 303])("follows a %i with a GET that carries no body", async (status) => {
      hooks.route("/start", redirect(status, "/done"));
      hooks.route("/done", reply(200, '{"ticket":7}'));
      expect(await callWebhook(webhookRequest(hookUrl("/start")), options())).toEqual({
        ok: true,
        status: 200,
        json: { ticket: 7 },
      });
      expect(hooks.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        { method: "POST", path: "/start", body: JSON.stringify(body) },
        { method: "GET", path: "/done", body: "" },
      ]);
      expect(hooks.requests[1]?.headers["content-type"]).toBeUndefined();
    });

    it.each([307, 308])("repeats the POST with its body on a same-origin %i", async (status) => {
      hooks.route("/start", redirect(status, hookUrl("/moved")));
      hooks.route("/moved", reply(200, "{}"));
      await callWebhook(webhookRequest(hookUrl("/start")), options());
      expect(hooks.requests.map(({ method, body: sent }) => ({ method, sent }))).toEqual([
        { method: "POST", sent: JSON.stringify(body) },
        { method: "POST", sent: JSON.stringify(body) },
      ]);
    });

    it("refuses a 307 to another origin instead of sending the personal data there", async () => {
      hooks.route("/start", redirect(307, hookUrl("/x", elsewhere)));
      elsewhere.route("/x", reply(200, "{}"));
      const allowHosts = [`localhost:${hooks.port}`, `localhost:${elsewhere.port}`];
      expect(await callWebhook(webhookRequest(hookUrl("/start")), options({ allowHosts }))).toEqual({
        ok: false,
        reason: "http-status",
        status: 307,
      });
      expect(elsewhere.connections()).toBe(0);
    });

    it("follows a 302 to another allowed origin without body or credentials", async () => {
      hooks.route("/start", redirect(302, hookUrl("/x", elsewhere)));
      elsewhere.route("/x", reply(200, '"fine"'));
      const allowHosts = [`localhost:${hooks.port}`, `localhost:${elsewhere.port}`];
      const url = `https://user:secret@localhost:${hooks.port}/start`;
      expect(await callWebhook(webhookRequest(url), options({ allowHosts }))).toEqual({
        ok: true,
        status: 200,
        json: "fine",
      });
      expect(elsewhere.requests).toMatchObject([{ method: "GET", body: "" }]);
      expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
      expect(elsewhere.requests[0]?.headers.cookie).toBeUndefined();
    });

    it("refuses a redirect to a loopback address on another port", async () => {
      hooks.route("/start", redirect(302, `https://127.0.0.1:${elsewhere.port}/admin`));
      expect(await callWebhook(webhookRequest(hookUrl("/start")), options())).toEqual({
        ok: false,
        reason: "blocked-address",
      });
      expect(elsewhere.connections()).toBe(0);
    });

    it("refuses a redirect to the cloud metadata address without connecting there", async () => {
      hooks.route("/start", redirect(302, "https://169.254.169.254/latest/meta-data/iam/security-credentials/"));
      expect(await callWebhook(webhookRequest(hookUrl("/start")), options())).toEqual({
        ok: false,
        reason: "blocked-address",
      });
      expect(connect).toHaveBeenCalledTimes(1);
    });

    it("refuses a redirect to a name that resolves to a private address", async () => {
      hooks.route("/start", redirect(303, "https://hooks.test/internal"));
      const lookup = resolverFor({ localhost: ["127.0.0.1"], "hooks.test": ["10.0.0.5"] });
      expect(await callWebhook(webhookRequest(hookUrl("/start")), options({ lookup }))).toEqual({
        ok: false,
        reason: "blocked-address",
      });
    });

    it("refuses a redirect to plain HTTP", async () => {
      hooks.route("/start", redirect(302, `http://localhost:${hooks.port}/done`));
      expect(await callWebhook(webhookRequest(hookUrl("/start")), options())).toEqual({
        ok: false,
        reason: "not-https",
      });
      expect(hooks.requests).toHaveLength(1);
    });

    it("stops after maxRedirects redirects", async () => {
      hooks.route("/loop", redirect(302, "/loop"));
      expect(await callWebhook(webhookRequest(hookUrl("/loop")), options())).toEqual({
        ok: false,
        reason: "too-many-redirects",
      });
      // The first request and three redirects followed.
      expect(hooks.requests).toHaveLength(4);
    });

    it("follows exactly maxRedirects redirects", async () => {
      hooks.route("/a", redirect(302, "/b"));
      hooks.route("/b", reply(200, "{}"));
      expect(await callWebhook(webhookRequest(hookUrl("/a")), options({ maxRedirects: 1 }))).toEqual({
        ok: true,
        status: 200,
        json: {},
      });
      expect(await callWebhook(webhookRequest(hookUrl("/a")), options({ maxRedirects: 0 }))).toEqual({
        ok: false,
        reason: "too-many-redirects",
      });
    });
  });
});
