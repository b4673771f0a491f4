/**
 * The editor shell: sign in, then the pages the person's roles allow — flows, approvals, the live-chat inbox, the
 * audit trail, the team and API tokens — with the signed-in person and their roles in the
 * header, and the UI language switch. The server refuses whatever a role may not do; the shell
 * only leaves out what would be refused anyway.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { checkFlowValue } from "../../../runtime/core/index.ts";
import { EditorApi } from "../api/editor-api.ts";
import { KnowledgeBaseApi } from "../api/knowledge-base-api.ts";
import { InboxApi } from "../api/inbox-api.ts";
import { can, currentSession, type SignedIn, signOut } from "../api/session-api.ts";
import { TeamApi } from "../api/team-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import { roleLabels } from "../i18n/role-labels.ts";
import { defaultUiLanguage, type UiLanguage } from "../i18n/ui-language.ts";
import { ApprovalsPage } from "./ApprovalsPage.tsx";
import { AuditPage } from "./AuditPage.tsx";
import { FlowEditor } from "./FlowEditor.tsx";
import { FlowList } from "./FlowList.tsx";
import { KnowledgeBasePage } from "./KnowledgeBasePage.tsx";
import { InboxPage } from "./InboxPage.tsx";
import { CannedAnswersPage } from "./CannedAnswersPage.tsx";
import { SignIn } from "./SignIn.tsx";
import { TeamPage } from "./TeamPage.tsx";
import { TokensPage } from "./TokensPage.tsx";
import { DeliveryApi } from "../api/delivery-api.ts";
import { DeliveriesPage } from "./DeliveriesPage.tsx";
import { AnalyticsApi } from "../api/analytics-api.ts";
import { AnalyticsPage } from "./AnalyticsPage.tsx";
import { PrivacyApi } from "../api/privacy-api.ts";
import { LedgerPage } from "./LedgerPage.tsx";
import { PaperworkPage } from "./PaperworkPage.tsx";
import { RequestsPage } from "./RequestsPage.tsx";
import { ResultsApi } from "../api/results-api.ts";
import { ResultsPage } from "./ResultsPage.tsx";

type Page = "flows" | "knowledge" | "approvals" | "audit" | "team" | "tokens" | "inbox" | "deliveries" | "analytics" | "canned" | "requests" | "ledger" | "paperwork" | "results";

const pages: { page: Page; label: MessageKey; shown(session: SignedIn): boolean }[] = [
  { page: "flows", label: "navFlows", shown: (session) => can(session, "flows.read") },
  { page: "knowledge", label: "navKnowledge", shown: (session) => can(session, "flows.read") },
  { page: "approvals", label: "navApprovals", shown: (session) => can(session, "publish.approve") || (session.approvalRequired && can(session, "flows.publish")) },
  { page: "audit", label: "navAudit", shown: (session) => can(session, "audit.read") },
  { page: "analytics", label: "navAnalytics", shown: (session) => can(session, "flows.read") },
  // Editors see the page too; the server shows them only flows that share their results (privacy.editorsSeeResults).
  { page: "results", label: "navResults", shown: (session) => can(session, "results.read") || can(session, "flows.edit") },
  { page: "deliveries", label: "navDeliveries", shown: (session) => can(session, "deliveries.manage") },
  { page: "team", label: "navTeam", shown: (session) => can(session, "accounts.manage") },
  { page: "tokens", label: "navTokens", shown: (session) => can(session, "tokens.manage") },
  { page: "inbox", label: "navInbox", shown: (session) => can(session, "inbox.use") },
  { page: "canned", label: "navCanned", shown: (session) => can(session, "flows.edit") },
  // The privacy desk (docs/privacy.md#the-dpos-pages).
  { page: "requests", label: "navRequests", shown: (session) => can(session, "privacy.use") },
  { page: "ledger", label: "navLedger", shown: (session) => can(session, "privacy.use") },
  { page: "paperwork", label: "navPaperwork", shown: (session) => can(session, "privacy.use") },
];

/** A page named in the address (`/editor/#requests`, the link in a request reminder). */
function pageOfHash(): Page | undefined {
  const wanted = window.location.hash.slice(1);
  return pages.find((entry) => entry.page === wanted)?.page;
}

export function App() {
  const [lang, setLang] = useState<UiLanguage>(() => defaultUiLanguage(navigator.languages ?? [navigator.language]));
  // undefined: not known yet; null: nobody signed in.
  const [session, setSession] = useState<SignedIn | null | undefined>();
  const [page, setPage] = useState<Page>(() => pageOfHash() ?? "flows");
  const [ledgerPerson, setLedgerPerson] = useState<string | undefined>();
  const [open, setOpen] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    const current = await currentSession().catch(() => undefined);
    setSession(current ?? null);
    if (current) {
      const first = pages.find((entry) => entry.shown(current));
      setPage((shown) => (pages.find((entry) => entry.page === shown)?.shown(current) ? shown : (first?.page ?? "flows")));
    }
  }, []);

  useEffect(() => {
    void refresh();
    // The validator compiles its schemas on first use; doing that now keeps it out of opening a flow.
    const warm = setTimeout(() => checkFlowValue({ flow: "warm-up", nodes: { a: { type: "end" } } }), 0);
    return () => clearTimeout(warm);
  }, [refresh]);

  // One client per session: a new one on every render would make the open flow reload (and lose unsaved edits).
  const editorApi = useMemo(() => (session ? new EditorApi(session.csrfToken) : undefined), [session]);
  const teamApi = useMemo(() => (session ? new TeamApi(session.csrfToken) : undefined), [session]);
  const knowledgeApi = useMemo(() => (session ? new KnowledgeBaseApi(session.csrfToken) : undefined), [session]);
  const deliveryApi = useMemo(() => (session ? new DeliveryApi(session.csrfToken) : undefined), [session]);
  const analyticsApi = useMemo(() => (session ? new AnalyticsApi(session.csrfToken) : undefined), [session]);
  const resultsApi = useMemo(() => (session ? new ResultsApi(session.csrfToken) : undefined), [session]);
  const inboxApi = useMemo(() => (session ? new InboxApi(session.csrfToken) : undefined), [session]);
  const privacyApi = useMemo(() => (session ? new PrivacyApi(session.csrfToken) : undefined), [session]);

  return (
    <div className="app" lang={lang}>
      <header className="app-bar">
        <span className="brand">✉ {t(lang, "appTitle")}</span>
        {session && (
          <nav className="app-nav" aria-label={t(lang, "appTitle")}>
            {pages
              .filter((entry) => entry.shown(session))
              .map((entry) => (
                <button
                  type="button"
                  key={entry.page}
                  className={page === entry.page ? "nav-item current" : "nav-item"}
                  aria-current={page === entry.page ? "page" : undefined}
                  data-testid={`nav-${entry.page}`}
                  onClick={() => {
                    setPage(entry.page);
                    setOpen(undefined);
                    setLedgerPerson(undefined);
                  }}
                >
                  {t(lang, entry.label)}
                </button>
              ))}
          </nav>
        )}
        <span className="spacer" />
        {session && (
          <span className="who" data-testid="signed-in-as">
            {t(lang, "signedInAs", { name: session.name })} · {session.roles.map((role) => t(lang, roleLabels[role])).join(", ")}
          </span>
        )}
        <label>
          {t(lang, "language")}{" "}
          <select data-testid="ui-language" value={lang} onChange={(event) => setLang(event.target.value === "de" ? "de" : "en")}>
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
        {session && (
          <button
            type="button"
            className="small"
            data-testid="sign-out"
            onClick={() => {
              void signOut(session).finally(() => {
                setSession(null);
                setOpen(undefined);
              });
            }}
          >
            {t(lang, "logOut")}
          </button>
        )}
      </header>
      {session === undefined ? null : session === null ? (
        <SignIn lang={lang} onSignedIn={() => void refresh()} />
      ) : page === "flows" && editorApi ? (
        open ? (
          <FlowEditor key={open} api={editorApi} id={open} lang={lang} canEdit={can(session, "flows.edit")} canPublish={can(session, "flows.publish")} approvalRequired={session.approvalRequired} onBack={() => setOpen(undefined)} />
        ) : (
          <FlowList api={editorApi} lang={lang} canEdit={can(session, "flows.edit")} onOpen={setOpen} />
        )
      ) : page === "knowledge" && knowledgeApi ? (
        <KnowledgeBasePage api={knowledgeApi} lang={lang} canEdit={can(session, "flows.edit")} />
      ) : page === "approvals" && teamApi ? (
        <ApprovalsPage api={teamApi} lang={lang} session={session} />
      ) : page === "audit" && teamApi ? (
        <AuditPage api={teamApi} lang={lang} />
      ) : page === "analytics" && analyticsApi ? (
        <AnalyticsPage api={analyticsApi} lang={lang} />
      ) : page === "results" && resultsApi ? (
        <ResultsPage api={resultsApi} lang={lang} />
      ) : page === "deliveries" && deliveryApi ? (
        <DeliveriesPage api={deliveryApi} lang={lang} canSeeSecret={can(session, "tokens.manage")} />
      ) : page === "team" && teamApi ? (
        <TeamPage api={teamApi} lang={lang} />
      ) : page === "tokens" && teamApi ? (
        <TokensPage api={teamApi} lang={lang} />
      ) : page === "inbox" && inboxApi ? (
        <InboxPage api={inboxApi} lang={lang} />
      ) : page === "requests" && privacyApi ? (
        <RequestsPage
          api={privacyApi}
          lang={lang}
          onShowLedger={(person) => {
            setLedgerPerson(person);
            setPage("ledger");
          }}
        />
      ) : page === "ledger" && privacyApi ? (
        <LedgerPage key={ledgerPerson ?? ""} api={privacyApi} lang={lang} canAcknowledge={can(session, "ledger.acknowledge")} {...(ledgerPerson ? { person: ledgerPerson } : {})} />
      ) : page === "paperwork" && privacyApi && editorApi && teamApi ? (
        <PaperworkPage api={privacyApi} files={editorApi} team={teamApi} lang={lang} />
      ) : page === "canned" && inboxApi && editorApi ? (
        <CannedAnswersPage api={inboxApi} files={editorApi} lang={lang} canEdit={can(session, "flows.edit")} />
      ) : null}
    </div>
  );
}
