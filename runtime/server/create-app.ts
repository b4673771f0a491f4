/**
 * Builds the HTTP application from its adapters. The composition root (`main.ts`) passes real
 * ones; tests pass in-memory ones. Nothing here reads the environment.
 */
import express from "express";
import type { Logger } from "pino";
import type { ChannelHub } from "../app/messaging/channel-hub.ts";
import { channelRoutes } from "../channels/channel-routes.ts";
import { maxFlowBytes } from "../core/index.ts";
import type { AccountService } from "../app/accounts/account-service.ts";
import type { AuditTrail } from "../app/audit/audit-trail.ts";
import type { ProofLedger } from "../app/privacy/proof-ledger.ts";
import type { PrivacyDesk } from "../app/privacy/privacy-desk.ts";
import type { Publishing } from "../app/flows/publishing.ts";
import { accountRoutes } from "./account-routes.ts";
import { authorize } from "./access-rules.ts";
import { adminRoutes } from "./admin-routes.ts";
import { approvalRoutes } from "./approval-routes.ts";
import { auditRoutes } from "./audit-routes.ts";
import { type DeploymentFactsOf, privacyRoutes } from "./privacy-routes.ts";
import { privacyPage } from "./privacy-page.ts";
import { invitePage } from "./invite-page.ts";
import { sessionRoutes } from "./session-routes.ts";
import { authenticate, type SessionCookie } from "./team-auth.ts";
import { AppError } from "../app/app-error.ts";
import type { ConversationService } from "../app/conversations/conversation-service.ts";
import { type EditorSetup, editorRoutes, editorStatic } from "./editor-routes.ts";
import { faqRoutes } from "./faq-routes.ts";
import type { InboxService } from "../app/inbox/inbox-service.ts";
import type { CannedAnswers } from "../app/inbox/canned-answers.ts";
import { inboxRoutes, visitorLiveChatRoutes } from "./inbox-routes.ts";
import type { SignalStore } from "../stores/ports/signals.ts";
import { deliveryRoutes } from "./delivery-routes.ts";
import type { Deliveries } from "../app/deliveries/deliveries.ts";
import type { SigningSecret } from "../app/deliveries/signing-secret.ts";
import type { Analytics } from "../app/analytics/analytics.ts";
import { analyticsRoutes } from "./analytics-routes.ts";
import { resultsRoutes } from "./results-routes.ts";
import type { Results } from "../app/results/results.ts";
import type { FaqReview } from "../app/faq/faq-review.ts";
import { errorMiddleware } from "./error-middleware.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { type WebChatLimits, webChatRoutes } from "./web-chat-routes.ts";
import { type AllowedOrigins, webChatCors } from "./web-chat-cors.ts";
import type { WidgetAssets } from "../widget/widget-assets.ts";
import { widgetRoutes } from "../widget/widget-routes.ts";

/** What the HTTP side serves besides the chat API, and its limits: configuration, not services. */
export interface WebOptions {
  limits: WebChatLimits;
  /** Value for Express's `trust proxy`, when a reverse proxy terminates TLS. */
  trustProxy?: boolean | number | string;
  /** The built web widget; its routes say how to build it when absent. */
  widgetAssets?: WidgetAssets;
  /** Origins whose pages may call the web chat API (CORS); any origin when absent. */
  widgetOrigins?: AllowedOrigins;
  /** The visual editor and its file API; left out, neither is served. */
  editor?: EditorSetup;
}

/** The operator side: team accounts, publishing (with or without four eyes) and the audit trail. */
export interface TeamDeps {
  accounts: AccountService;
  publishing: Publishing;
  audit: AuditTrail;
  faqReview: FaqReview;
  inbox: InboxService;
  cannedAnswers: CannedAnswers;
  deliveries: Deliveries;
  signingSecret: SigningSecret;
  /** The proof ledger the privacy desk reads (docs/privacy.md#proof-ledger). */
  ledger: ProofLedger;
  analytics: Analytics;
  /** The requests desk (docs/privacy.md#requests-desk). */
  privacyDesk: PrivacyDesk;
  results: Results;
  /** What the generated privacy texts and paperwork name about this deployment, per flow. */
  deploymentFacts: DeploymentFactsOf;
  cookie: SessionCookie;
  /** `BOTSCHAFT_PUBLIC_URL`, whose origin sign-in accepts besides the request's own. */
  publicUrl?: string;
  /** Single sign-on routes (`/auth/oidc/…`), when an OpenID provider is configured. */
  singleSignOn?: express.Router;
}

export interface AppDeps extends WebOptions {
  service: ConversationService;
  catalog: FlowCatalog;
  team: TeamDeps;
  /** The store's signals, which the live-chat event streams follow. */
  signals: SignalStore;
  clock: () => Date;
  logger: Logger;
  /** Messenger channels; their webhooks read raw bodies, so they are mounted before any JSON parser. */
  channels?: ChannelHub;
}

/** One-time links carry their secret in the path: the log gets the route, not the token. */
function loggedPath(path: string): string {
  return path.replace(/^\/invite\/[^/]+/, "/invite/:token");
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Chat replies are never revalidated; hashing every body for an ETag is wasted work.
  app.set("etag", false);
  if (deps.trustProxy !== undefined) app.set("trust proxy", deps.trustProxy);
  app.use((request, response, next) => {
    const started = performance.now();
    response.on("finish", () => {
      // Method, path and status only: bodies and query strings may carry personal data.
      deps.logger.info({ method: request.method, path: loggedPath(request.baseUrl + request.path), status: response.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    next();
  });
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.use("/api/v1/conversations", webChatCors(deps.widgetOrigins ?? "*"));
  if (deps.channels) app.use("/channels", channelRoutes(deps.channels, deps.service));
  app.use("/api/v1", express.json({ limit: "16kb" }), webChatRoutes(deps.service, deps.limits), visitorLiveChatRoutes(deps.service, deps.team.inbox, deps.signals));
  // Every other /api/v1 route is a team route: who is calling, then whether their roles allow it.
  const { team } = deps;
  app.use("/api/v1", authenticate(team.accounts, team.cookie), authorize);
  app.use("/api/v1", sessionRoutes(team.accounts, { cookie: team.cookie, ...(team.publicUrl ? { publicUrl: team.publicUrl } : {}), approvalRequired: team.publishing.approvalRequired, singleSignOn: team.singleSignOn !== undefined }));
  app.use("/api/v1/admin", adminRoutes(deps.catalog, team.publishing, maxFlowBytes));
  if (deps.editor) app.use("/api/v1/admin", editorRoutes(deps.editor, deps.catalog, team.audit, maxFlowBytes));
  app.use("/api/v1/admin", faqRoutes(team.faqReview, team.audit, deps.editor?.flowsDir, maxFlowBytes));
  app.use("/api/v1/admin", deliveryRoutes(team.deliveries, team.signingSecret, team.audit));
  app.use("/api/v1/admin", resultsRoutes(team.results));
  app.use("/api/v1/admin", analyticsRoutes(team.analytics));
  app.use("/api/v1", approvalRoutes(team.publishing), auditRoutes(team.audit), privacyRoutes(team.ledger, team.audit, deps.catalog, team.deploymentFacts, team.privacyDesk), accountRoutes(team.accounts), inboxRoutes(team.inbox, deps.signals, deps.clock, team.cannedAnswers));
  app.use(invitePage(team.accounts, team.publicUrl));
  if (team.singleSignOn) app.use("/auth/oidc", team.singleSignOn);
  app.use(privacyPage(deps.catalog, team.deploymentFacts));
  app.use(widgetRoutes({ catalog: deps.catalog, assets: deps.widgetAssets }));
  if (deps.editor) app.use("/editor", editorStatic(deps.editor.distDir));
  app.use(() => {
    throw new AppError("not-found", "There is nothing here.");
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
