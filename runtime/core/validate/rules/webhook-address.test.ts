import { describe, expect, it } from "vitest";
import { checkFlowValue } from "../validate-flow.ts";
import { callbackRequestFlow, check, germanProcessor, node } from "../test-flow-builder.ts";

/** The reference flow with its CRM webhook pointed at `url`. */
function postingTo(url: string) {
  return callbackRequestFlow().with("send-crm", { ...node.webhook(["name", "phone"], "thanks", germanProcessor), url });
}

describe("webhook-address", () => {
  it("accepts a public name or a public literal address", () => {
    for (const url of ["https://crm.muster.example/api", "https://93.184.215.14/api", "https://[2606:4700:4700::1111]:8443/x"]) {
      expect(check(postingTo(url), "webhook-address"), url).toEqual([]);
    }
  });

  it.each([
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["https://127.0.0.1/", "127.0.0.1"],
    ["https://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
    ["https://0x7f000001/", "127.0.0.1"],
    ["https://2130706433/", "127.0.0.1"],
    ["https://0177.0.0.1/", "127.0.0.1"],
    ["https://127.1:8443/", "127.0.0.1:8443"],
    ["https://10.0.0.5/crm", "10.0.0.5"],
    ["https://192.168.1.10/crm", "192.168.1.10"],
    ["https://[fd00:ec2::254]/", "[fd00:ec2::254]"],
    ["https://[fe80::1]/", "[fe80::1]"],
    ["https://[64:ff9b::a9fe:a9fe]/", "[64:ff9b::a9fe:a9fe]"],
    ["https://0.0.0.0/", "0.0.0.0"],
    ["https://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal"],
  ])("refuses %s, naming the host as the runtime would reach it", (url, host) => {
    expect(check(postingTo(url), "webhook-address")).toEqual([
      {
        rule: "webhook-address",
        severity: "error",
        node: "send-crm",
        pointer: "/nodes/send-crm/url",
        message: `'send-crm' posts to ${host}, which is no public address (loopback, private network, link-local or cloud metadata); the runtime refuses to call it. Use the receiving system's public address, or have the operator allow the host in BOTSCHAFT_WEBHOOK_ALLOW_HOSTS.`,
      },
    ]);
  });

  it("refuses a notices address that is not public, pointing at `notices.url`", () => {
    const flow = callbackRequestFlow().with("send-crm", { ...node.webhook(["name", "phone"], "thanks", germanProcessor), notices: { url: "https://169.254.169.254/gdpr" } });
    expect(check(flow, "webhook-address").map((problem) => [problem.pointer, problem.message.slice(0, 40)])).toEqual([
      ["/nodes/send-crm/notices/url", "'send-crm' posts to 169.254.169.254, whi"],
    ]);
    expect(checkFlowValue(flow.build(), { webhookAllowHosts: ["169.254.169.254"] }).problems.filter((problem) => problem.rule === "webhook-address")).toEqual([]);
  });

  it("lets through what the operator allow-lists, exactly as the runtime does (host, or host and port)", () => {
    const flow = postingTo("https://10.0.0.5:8443/crm").build();
    expect(checkFlowValue(flow, { webhookAllowHosts: ["10.0.0.5"] }).problems).toEqual([]);
    expect(checkFlowValue(flow, { webhookAllowHosts: ["10.0.0.5:8443"] }).problems).toEqual([]);
    expect(checkFlowValue(flow, { webhookAllowHosts: ["10.0.0.5:443"] }).problems.map((problem) => problem.rule)).toEqual(["webhook-address"]);
    expect(checkFlowValue(flow, { webhookAllowHosts: ["not a pattern"] }).problems.map((problem) => problem.rule)).toEqual(["webhook-address"]);
  });

  it("explains it in German", () => {
    expect(check(postingTo("https://169.254.169.254/"), "webhook-address", "de")[0]?.message).toBe(
      "'send-crm' sendet an 169.254.169.254, keine öffentliche Adresse (Loopback, privates Netz, Link-local oder Cloud-Metadaten); die Laufzeit ruft sie nicht auf. Verwenden Sie die öffentliche Adresse des empfangenden Systems oder lassen Sie den Host in BOTSCHAFT_WEBHOOK_ALLOW_HOSTS freigeben.",
    );
  });
});
