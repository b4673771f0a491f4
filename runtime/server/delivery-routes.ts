/**
 * The team's view of durable deliveries (docs/deliveries.md#when-a-delivery-fails): how many are
 * pending, the ones that finally failed (where, why, when — never what they carry) and a retry
 * for each; and, for admins, the signing secret receivers verify `X-Botschaft-Signature` with.
 * Access rules in access-rules.ts; retries and every look at the secret are in the audit trail.
 */
import { Router } from "express";
import type { AuditTrail } from "../app/audit/audit-trail.ts";
import type { Deliveries } from "../app/deliveries/deliveries.ts";
import type { SigningSecret } from "../app/deliveries/signing-secret.ts";
import { auditActor } from "./team-auth.ts";

/** Routes below `/api/v1/admin`. */
export function deliveryRoutes(deliveries: Deliveries, secret: SigningSecret, audit: AuditTrail): Router {
  const router = Router();

  router.get("/deliveries", async (_request, response) => {
    const [counts, failed, retrying] = await Promise.all([deliveries.counts(), deliveries.failed(), deliveries.retrying()]);
    response.json({ ...counts, failedDeliveries: failed, pendingDeliveries: retrying });
  });

  router.post("/deliveries/:id/retry", async (request, response) => {
    await deliveries.retry(String(request.params.id), auditActor(request, response));
    response.status(204).end();
  });

  router.get("/delivery-secret", async (request, response) => {
    await audit.record(auditActor(request, response), { action: "delivery-secret.view", target: "delivery-secret" });
    response.set("cache-control", "no-store").json({ secret: await secret.get(), header: "X-Botschaft-Signature", algorithm: "sha256=<hex HMAC-SHA256 of the body>" });
  });

  router.post("/delivery-secret/rotate", async (request, response) => {
    const rotated = await secret.rotate();
    await audit.record(auditActor(request, response), { action: "delivery-secret.rotate", target: "delivery-secret" });
    response.set("cache-control", "no-store").json({ secret: rotated });
  });

  return router;
}
