import { isIP } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeliveryAttempt } from "../../app/deliveries/delivery-worker.ts";
import type { CallWebhookOptions } from "./call-webhook.ts";
import { confineConnectionsToLoopback } from "./confine-connections-to-loopback.ts";
import { createTestCertificate, type TestCertificate } from "./create-test-certificate.ts";
import { deliverOverHttps } from "./deliver-webhook.ts";
import { type HttpsTestServer, startHttpsTestServer, type TestRoute } from "./start-https-test-server.ts";

let certificate: TestCertificate;
let crm: HttpsTestServer;
let elsewhere: HttpsTestServer;

beforeAll(async () => {
  certificate = await createTestCertificate();
  crm = await startHttpsTestServer(certificate);
  elsewhere = await startHttpsTestServer(certificate);
});

afterAll(async () => {
  await crm.close();
  await elsewhere.close();
});

beforeEach(() => {
  crm.reset();
  elsewhere.reset();
  confineConnectionsToLoopback();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function options(overrides: Partial<CallWebhookOptions> = {}): CallWebhookOptions {
  return { userAgent: "Botschaft-test/1", trustedCa: certificate.cert, allowHosts: [`localhost:${crm.port}`], ...overrides };
}

function attempt(path: string, timeoutMs = 5000): DeliveryAttempt {
  return {
    url: `https://localhost:${crm.port}${path}`,
    payload: '{"name":"Anna Beispiel","phone":"030123456"}',
    headers: { "idempotency-key": "k1", "x-botschaft-signature": "sha256=abc" },
    timeoutMs,
  };
}

function answer(status: number, headers: Record<string, string> = {}, text = ""): TestRoute {
  return (response) => {
    response.writeHead(status, headers).end(text);
  };
}

describe("deliverOverHttps", () => {
  it("posts the exact payload with the idempotency key and the signature, and takes any 2xx as delivered", async () => {
    crm.route("/leads", answer(202, { "content-type": "text/plain" }, "accepted"));
    expect(await deliverOverHttps(options())(attempt("/leads"))).toEqual({ ok: true });
    const [received] = crm.requests;
    expect(received?.body).toBe('{"name":"Anna Beispiel","phone":"030123456"}');
    expect(received?.headers["idempotency-key"]).toBe("k1");
    expect(received?.headers["x-botschaft-signature"]).toBe("sha256=abc");
    expect(received?.headers["content-type"]).toBe("application/json");
  });

  it("retries a 500 and a 503, and passes a 429's Retry-After on", async () => {
    crm.route("/500", answer(500));
    crm.route("/429", answer(429, { "retry-after": "120" }));
    const send = deliverOverHttps(options());
    expect(await send(attempt("/500"))).toEqual({ ok: false, retry: true, error: "http-status 500" });
    expect(await send(attempt("/429"))).toEqual({ ok: false, retry: true, error: "http-status 429", retryAfterMs: 120_000 });
  });

  it("gives up at once on a 400 or 404", async () => {
    crm.route("/400", answer(400));
    expect(await deliverOverHttps(options())(attempt("/400"))).toEqual({ ok: false, retry: false, error: "http-status 400" });
    expect(await deliverOverHttps(options())(attempt("/nowhere"))).toEqual({ ok: false, retry: false, error: "http-status 404" });
  });

  it("retries a receiver that does not answer in time", async () => {
    crm.route("/slow", () => undefined);
    expect(await deliverOverHttps(options())(attempt("/slow", 200))).toEqual({ ok: false, retry: true, error: "timeout" });
  });

  it("refuses a redirect to a private address without sending anything there", async () => {
    crm.route("/moved", answer(307, { location: `https://127.0.0.1:${elsewhere.port}/internal` }));
    expect(await deliverOverHttps(options())(attempt("/moved"))).toEqual({ ok: false, retry: false, error: "blocked-address" });
    expect(elsewhere.connections()).toBe(0);
  });

  it("refuses a private receiver that is not allow-listed, and reaches it once it is", async () => {
    crm.route("/leads", answer(200, { "content-type": "application/json" }, "{}"));
    expect(await deliverOverHttps(options({ allowHosts: [] }))(attempt("/leads"))).toEqual({ ok: false, retry: false, error: "blocked-address" });
    expect(crm.requests).toEqual([]);
    expect(await deliverOverHttps(options())(attempt("/leads"))).toEqual({ ok: true });
  });

  it("keeps one connection for a backlog to one receiver, yet resolves and checks its name on every attempt", async () => {
    crm.route("/leads", answer(204));
    let answer127 = "127.0.0.1";
    const lookup = vi.fn(async (hostname: string) => (hostname === "hooks.test" ? [{ address: answer127, family: isIP(answer127) }] : []));
    const send = deliverOverHttps(options({ allowHosts: [`hooks.test:${crm.port}`], lookup }));
    const to = (path: string) => ({ ...attempt(path), url: `https://hooks.test:${crm.port}${path}` });
    for (let index = 0; index < 5; index++) expect(await send(to("/leads"))).toEqual({ ok: true });
    expect(crm.requests).toHaveLength(5);
    expect(crm.connections()).toBe(1);
    expect(lookup).toHaveBeenCalledTimes(5);
    // The name now points elsewhere (nothing listens on 127.0.0.2): the kept connection to the
    // old address is not used; the attempt goes to the new answer and fails there.
    answer127 = "127.0.0.2";
    expect(await send(to("/leads"))).toEqual({ ok: false, retry: true, error: "network" });
    expect(crm.requests).toHaveLength(5);
    answer127 = "127.0.0.1";
    expect(await send(to("/leads"))).toEqual({ ok: true });
    expect(crm.requests).toHaveLength(6);
  });

  it("does not carry a kept connection's allow-list decision over to a target that is not allow-listed", async () => {
    crm.route("/leads", answer(204));
    const send = deliverOverHttps(options());
    expect(await send(attempt("/leads"))).toEqual({ ok: true });
    // The same receiver by its literal address, which the allow-list (`localhost:<port>`) does not name.
    expect(await send({ ...attempt("/leads"), url: `https://127.0.0.1:${crm.port}/leads` })).toEqual({ ok: false, retry: false, error: "blocked-address" });
    expect(crm.requests).toHaveLength(1);
  });

  it("retries while the certificate is not trusted (Node's trust, as for every webhook)", async () => {
    crm.route("/leads", answer(200));
    expect(await deliverOverHttps(options({ trustedCa: undefined }))(attempt("/leads"))).toEqual({ ok: false, retry: true, error: "network" });
  });
});
