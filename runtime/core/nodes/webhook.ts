import schema from "../../../schemas/nodes/webhook.schema.json" with { type: "json" };
import { unescapePointerSegment } from "../dsl/json-pointer.ts";
import type { FieldValue } from "../engine/conversation.ts";
import { go } from "../engine/node-run.ts";
import { integrationAddress, integrationCall } from "../webhook/integrations.ts";
import { defineNode, slot } from "./node-definition.ts";

const defaultTimeoutSeconds = 10;

/** RFC 6901 lookup; only JSON primitives may become field values. */
function valueAt(json: unknown, pointer: string): FieldValue | undefined {
  let current = json;
  for (const segment of pointer.split("/").slice(1)) {
    const key = unescapePointerSegment(segment);
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "string" || typeof current === "number" || typeof current === "boolean" ? current : undefined;
}

/**
 * A webhook step delivered through the durable outbox: `delivery: durable` and no `map` (a reply
 * could not come back), or an integration preset, which is always durable.
 */
export function isDurable(node: { delivery?: "sync" | "durable"; map?: Record<string, string>; integration?: unknown }): boolean {
  return node.integration !== undefined || (node.delivery === "durable" && node.map === undefined);
}

export const webhookNode = defineNode({
  type: "webhook",
  schema,
  slots: (node) => [slot("next", "/next", node.next), slot("error", "/error", node.error)],
  collects: (node) => Object.keys(node.map ?? {}),
  sends: (node) => node.sends ?? [],
  uses: (node) => node.sends ?? [],
  enter: (node, run) => {
    if (node.integration !== undefined) {
      const sends = node.sends ?? [];
      const values = run.shareable(sends);
      const integration = integrationCall({ ...node, integration: node.integration }, { node: run.nodeId, values, sends, label: (field) => run.label(field), language: run.language });
      // A newsletter preset without an address to subscribe sends nothing.
      if (integration) {
        run.effect({ type: "deliver-webhook", node: run.nodeId, url: integrationAddress(node.integration), body: values, timeoutMs: (node.timeout ?? defaultTimeoutSeconds) * 1000, integration });
      }
      return go(node.next);
    }
    const durable = isDurable(node);
    run.effect({
      type: durable ? "deliver-webhook" : "call-webhook",
      node: run.nodeId,
      url: node.url ?? "",
      body: run.shareable(node.sends ?? []),
      timeoutMs: (node.timeout ?? defaultTimeoutSeconds) * 1000,
    });
    // A durable call is stored with the turn and sent later: nothing comes back to wait for.
    return durable ? go(node.next) : { wait: "webhook" };
  },
  reply: (node, reply, run) => {
    if (reply.type !== "webhook-result") return { wait: "webhook" };
    if (!reply.result.ok) return go(node.error ?? node.next);
    for (const [field, pointer] of Object.entries(node.map ?? {})) {
      const value = valueAt(reply.result.json, pointer);
      if (value !== undefined) run.store(field, value);
    }
    return go(node.next);
  },
});
