import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openTestStore } from "../../testing/open-test-store.ts";
import { FlowCatalog } from "./flow-catalog.ts";

const reference = readFileSync(new URL("../../../examples/callback-request.yaml", import.meta.url), "utf8");
/** The reference flow with a main-menu option too long for WhatsApp's and Messenger's buttons. */
const longOption = reference.replace("- label: Öffnungszeiten\n        next: hours", "- label: Öffnungszeiten und Anfahrt zum Kundenzentrum\n        next: hours");

describe("FlowCatalog.publish", () => {
  it("checks messenger limits only for the messengers configured to run the flow", async () => {
    expect(longOption).not.toBe(reference);
    const webOnly = new FlowCatalog((await openTestStore("memory")).flowVersions, () => new Date());
    expect((await webOnly.publish("callback-request", longOption)).warnings).toEqual([]);

    const onWhatsapp = new FlowCatalog((await openTestStore("memory")).flowVersions, () => new Date(), { channelsOf: (flowId) => (flowId === "callback-request" ? ["whatsapp"] : []) });
    const { warnings } = await onWhatsapp.publish("callback-request", longOption);
    expect(warnings.map((problem) => [problem.rule, problem.severity, problem.pointer])).toEqual([
      ["channel-limits", "warning", "/nodes/main/options/1/label"],
    ]);
  });

  it("refuses a webhook to a private literal address unless the runtime allow-lists its host", async () => {
    const onPremises = reference.replace("https://crm.muster.example/api/callbacks", "https://[::ffff:10.0.0.5]/api/callbacks");
    const strict = new FlowCatalog((await openTestStore("memory")).flowVersions, () => new Date());
    await expect(strict.publish("callback-request", onPremises)).rejects.toMatchObject({ code: "flow-invalid", problems: [expect.objectContaining({ rule: "webhook-address" })] });
    const allowing = new FlowCatalog((await openTestStore("memory")).flowVersions, () => new Date(), { webhookAllowHosts: ["[::ffff:a00:5]"] });
    expect((await allowing.publish("callback-request", onPremises)).warnings).toEqual([]);
  });
});
