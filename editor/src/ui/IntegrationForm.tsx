/**
 * The webhook step's target as a form (docs/deliveries.md#integrations): e-mail to the team, a
 * Brevo or CleverReach newsletter list with double opt-in, or a CRM webhook of one's own. A
 * preset fills in its processor, so the privacy texts name the right company; API keys are
 * chosen by the name of a secret configured on the server, never typed into the flow.
 */
import { useEffect, useState } from "react";
import type { Integration } from "../../../runtime/core/dsl/flow.ts";
import { presetProcessors } from "../../../runtime/core/index.ts";
import type { EditorIntegrations } from "../api/editor-api.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { setNodeValue } from "../model/edit-operations.ts";
import type { FlowDocument } from "../model/flow-document.ts";

/** The side panel's edit function (SidePanel's `Edit`, repeated to keep imports one-way). */
type Edit = (edit: (doc: FlowDocument) => void, key?: string) => void;

type Target = "crm" | Integration["preset"];

const words = {
  de: {
    target: "Ziel",
    targetHelp: "Wohin die Angaben gehen. Fertige Integrationen werden immer zuverlässig im Hintergrund zugestellt.",
    crm: "CRM-Webhook (eigene Adresse)",
    email: "E-Mail an das Team",
    brevo: "Newsletter: Brevo (Double-Opt-in)",
    cleverreach: "Newsletter: CleverReach (Double-Opt-in)",
    to: "Empfänger-Adressen",
    toHelp: "E-Mail-Adressen Ihres Teams, durch Kommas getrennt (höchstens 10).",
    subject: "Betreff",
    subjectHelp: "Leer: „Neue Anfrage aus dem Chatbot“.",
    replyTo: "Antworten gehen an",
    replyToHelp: "Eine gesendete Angabe mit der E-Mail-Adresse der Person; dann antwortet Ihr Team direkt.",
    nobody: "– niemand –",
    secret: "API-Schlüssel (Name auf dem Server)",
    secretHelp: (name: string) => `Der Schlüssel selbst steht nie im Flow: die Administration hinterlegt ihn auf dem Server als ${name}.`,
    secretSet: "✓ auf dem Server hinterlegt",
    secretMissing: "⚠ auf dem Server noch nicht hinterlegt – bis dahin scheitern die Zustellungen (sichtbar unter „Zustellungen“).",
    listIds: "Listen (IDs)",
    listIdsHelp: "Die Brevo-Listen, in die der Kontakt nach der Bestätigung kommt, z. B. 12, 14.",
    templateId: "Double-Opt-in-Vorlage (ID)",
    templateIdHelp: "Die Brevo-Vorlage mit dem Bestätigungslink.",
    redirectUrl: "Seite nach der Bestätigung",
    redirectUrlHelp: "Die Seite Ihrer Website, die nach dem Klick auf den Bestätigungslink erscheint (https://…).",
    groupId: "Empfängerliste (Gruppen-ID)",
    groupIdHelp: "Die CleverReach-Liste, in die die Person kommt – erst nach der Bestätigung aktiv.",
    formId: "Formular (ID)",
    formIdHelp: "Das CleverReach-Formular, dessen Double-Opt-in-Mail verschickt wird.",
    emailField: "Angabe mit der E-Mail-Adresse",
    emailFieldHelp: "Muss zu den gesendeten Angaben gehören.",
    attributes: "Weitere Angaben als Attribute",
    attributesHelp: (tool: string) => `Unter welchem Attribut-Namen ${tool} jede weitere gesendete Angabe speichert.`,
    processor: "Empfänger (Auftragsverarbeiter)",
    processorFixed: (name: string, country: string) => `${name}, ${country} – steht so in der Datenschutzerklärung und im Verarbeitungsverzeichnis.`,
    mailProvider: (name: string, country: string) => `Mail-Server der Installation: ${name}, ${country}.`,
    mailProviderUnknown: "Tragen Sie unten den Betreiber Ihres Mail-Servers ein (die Administration kennt ihn).",
  },
  en: {
    target: "Target",
    targetHelp: "Where the details go. Ready-made integrations are always delivered reliably in the background.",
    crm: "CRM webhook (own address)",
    email: "E-mail to the team",
    brevo: "Newsletter: Brevo (double opt-in)",
    cleverreach: "Newsletter: CleverReach (double opt-in)",
    to: "Recipient addresses",
    toHelp: "Your team's e-mail addresses, separated by commas (at most 10).",
    subject: "Subject",
    subjectHelp: "Empty: “New enquiry from the chatbot”.",
    replyTo: "Replies go to",
    replyToHelp: "A sent detail holding the person's e-mail address; your team then answers directly.",
    nobody: "– nobody –",
    secret: "API key (name on the server)",
    secretHelp: (name: string) => `The key itself is never in the flow: the administrator stores it on the server as ${name}.`,
    secretSet: "✓ stored on the server",
    secretMissing: "⚠ not stored on the server yet – until then the deliveries fail (shown under “Deliveries”).",
    listIds: "Lists (ids)",
    listIdsHelp: "The Brevo lists the contact joins after confirming, e.g. 12, 14.",
    templateId: "Double opt-in template (id)",
    templateIdHelp: "The Brevo template with the confirmation link.",
    redirectUrl: "Page after confirming",
    redirectUrlHelp: "The page of your website shown after the confirmation link is clicked (https://…).",
    groupId: "Recipient list (group id)",
    groupIdHelp: "The CleverReach list the person joins – active only after confirming.",
    formId: "Form (id)",
    formIdHelp: "The CleverReach form whose double opt-in mail is sent.",
    emailField: "Detail with the e-mail address",
    emailFieldHelp: "Must be among the details sent.",
    attributes: "Further details as attributes",
    attributesHelp: (tool: string) => `The attribute name under which ${tool} stores each further detail sent.`,
    processor: "Recipient (processor)",
    processorFixed: (name: string, country: string) => `${name}, ${country} – named like this in the privacy policy and the record of processing.`,
    mailProvider: (name: string, country: string) => `This installation's mail server: ${name}, ${country}.`,
    mailProviderUnknown: "Enter who runs your mail server below (your administrator knows).",
  },
} as const;

const countries: Record<string, { de: string; en: string }> = { FR: { de: "Frankreich", en: "France" }, DE: { de: "Deutschland", en: "Germany" } };

function countryOf(code: string, lang: UiLanguage): string {
  return countries[code]?.[lang] ?? code;
}

/** The generic fields a preset replaces: its form covers them, or it has none. */
export function propertiesHiddenBy(node: Record<string, unknown>): ReadonlySet<string> {
  const integration = node.integration as Integration | undefined;
  if (integration === undefined) return new Set(["integration"]);
  const hidden = new Set(["integration", "url", "map", "delivery", "timeout", "error"]);
  if (integration.preset !== "email") hidden.add("processor");
  return hidden;
}

function defaultSecret(preset: "brevo" | "cleverreach", configured: readonly string[]): string {
  const wanted = preset === "brevo" ? "BREVO" : "CLEVERREACH";
  return configured.includes(wanted) ? wanted : (configured.find((name) => name.includes(wanted)) ?? wanted);
}

function templateOf(target: Integration["preset"], sends: readonly string[], integrations: EditorIntegrations): Integration {
  const emailField = sends.includes("email") ? undefined : sends.find((field) => /mail/i.test(field));
  switch (target) {
    case "email":
      return { preset: "email", to: [] as unknown as [string] };
    case "brevo":
      return { preset: "brevo", secret: defaultSecret("brevo", integrations.secrets), listIds: [] as unknown as [number], templateId: undefined as unknown as number, redirectUrl: "", ...(emailField ? { emailField } : {}) };
    case "cleverreach":
      return { preset: "cleverreach", secret: defaultSecret("cleverreach", integrations.secrets), groupId: undefined as unknown as number, formId: undefined as unknown as number, ...(emailField ? { emailField } : {}) };
  }
}

/** Drops empty values so the YAML holds only what was filled in (the validator names what is missing). */
function compact(integration: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(integration).filter(([, value]) => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0)));
}

function Field({ label, help, children }: { label: string; help?: string | undefined; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children
    <label className="form-field">
      <span className="form-label">{label}</span>
      {children}
      {help && <span className="form-help">{help}</span>}
    </label>
  );
}

function parseList(text: string, numbers: boolean | undefined): (string | number)[] {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  return numbers ? items.map(Number).filter((item) => Number.isInteger(item) && item > 0) : items;
}

/** A comma-separated list kept as typed until it parses. */
function ListInput({ value, numbers, testId, onChange }: { value: readonly (string | number)[]; numbers?: boolean; testId: string; onChange(value: (string | number)[]): void }) {
  const joined = value.join(", ");
  const [draft, setDraft] = useState(joined);
  useEffect(() => setDraft((current) => (parseList(current, numbers).join(", ") === joined ? current : joined)), [joined, numbers]);
  return (
    <input
      data-testid={testId}
      type="text"
      value={draft}
      onChange={(event) => {
        setDraft(event.target.value);
        onChange(parseList(event.target.value, numbers));
      }}
    />
  );
}

export function IntegrationForm({ id, node, lang, integrations, onEdit }: { id: string; node: Record<string, unknown>; lang: UiLanguage; integrations: EditorIntegrations; onEdit: Edit }) {
  const w = words[lang];
  const integration = node.integration as (Integration & Record<string, unknown>) | undefined;
  const sends = Array.isArray(node.sends) ? (node.sends as string[]) : [];
  const target: Target = integration?.preset ?? "crm";
  const set = (path: (string | number)[], value: unknown) => onEdit((doc) => setNodeValue(doc, id, path, value), `${id}/${path.join("/")}`);
  const setIntegration = (changes: Record<string, unknown>) => set(["integration"], compact({ ...(integration ?? {}), ...changes }));

  const choose = (next: Target) =>
    onEdit((doc) => {
      if (next === "crm") {
        setNodeValue(doc, id, ["integration"], undefined);
        setNodeValue(doc, id, ["delivery"], "durable");
        setNodeValue(doc, id, ["url"], "https://");
        return;
      }
      for (const property of ["url", "map", "delivery", "timeout", "error"]) setNodeValue(doc, id, [property], undefined);
      setNodeValue(doc, id, ["integration"], compact(templateOf(next, sends, integrations) as unknown as Record<string, unknown>));
      if (next === "email") {
        if (integrations.mailProvider) setNodeValue(doc, id, ["processor"], { ...integrations.mailProvider });
      } else {
        const { name, country } = presetProcessors[next];
        setNodeValue(doc, id, ["processor"], { name, country });
      }
    });

  const secretField = (preset: "brevo" | "cleverreach") => {
    const secret = typeof integration?.secret === "string" ? integration.secret : "";
    const configured = integrations.secrets.includes(secret);
    return (
      <Field label={w.secret} help={w.secretHelp(`BOTSCHAFT_API_KEY_${secret || (preset === "brevo" ? "BREVO" : "CLEVERREACH")}`)}>
        <input data-testid="integration-secret" type="text" list="integration-secrets" value={secret} onChange={(event) => setIntegration({ secret: event.target.value.toUpperCase().replace(/[^A-Z0-9_]/g, "_") })} />
        <datalist id="integration-secrets">
          {integrations.secrets.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {secret !== "" && (
          <span className={configured ? "form-help" : "form-error"} data-testid="integration-secret-state">
            {configured ? w.secretSet : w.secretMissing}
          </span>
        )}
      </Field>
    );
  };

  const emailFieldPicker = () => (
    <Field label={w.emailField} help={w.emailFieldHelp}>
      <select data-testid="integration-email-field" value={typeof integration?.emailField === "string" ? integration.emailField : "email"} onChange={(event) => setIntegration({ emailField: event.target.value === "email" ? undefined : event.target.value })}>
        {[...new Set(["email", ...sends])].map((field) => (
          <option key={field} value={field}>
            {field}
          </option>
        ))}
      </select>
    </Field>
  );

  const attributeRows = (tool: string) => {
    const emailField = typeof integration?.emailField === "string" ? integration.emailField : "email";
    const others = sends.filter((field) => field !== emailField);
    if (others.length === 0) return null;
    const attributes = (integration?.attributes as Record<string, string> | undefined) ?? {};
    const nameOf = (field: string) => Object.entries(attributes).find(([, value]) => value === field)?.[0] ?? "";
    const fallback = (field: string) => (tool === "Brevo" ? field.replace(/-/g, "_").toUpperCase() : field.replace(/-/g, "_").toLowerCase());
    return (
      <fieldset className="form-group" data-testid="integration-attributes">
        <legend>{w.attributes}</legend>
        <span className="form-help">{w.attributesHelp(tool)}</span>
        {others.map((field) => (
          <div key={field} className="row">
            <span className="attribute-field">{field} →</span>
            <input
              data-testid={`integration-attribute-${field}`}
              type="text"
              placeholder={fallback(field)}
              value={nameOf(field)}
              onChange={(event) => {
                const next = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== field));
                const name = event.target.value.trim();
                if (name !== "") next[name] = field;
                setIntegration({ attributes: Object.keys(next).length > 0 ? next : undefined });
              }}
            />
          </div>
        ))}
      </fieldset>
    );
  };

  return (
    <div className="integration-form" data-testid="integration-form">
      <Field label={w.target} help={w.targetHelp}>
        <select data-testid="integration-target" value={target} onChange={(event) => choose(event.target.value as Target)}>
          {(["crm", "email", "brevo", "cleverreach"] as const).map((option) => (
            <option key={option} value={option}>
              {w[option]}
            </option>
          ))}
        </select>
      </Field>
      {integration?.preset === "email" && (
        <>
          <Field label={w.to} help={w.toHelp}>
            <ListInput testId="integration-to" value={Array.isArray(integration.to) ? integration.to : []} onChange={(to) => setIntegration({ to })} />
          </Field>
          <Field label={w.subject} help={w.subjectHelp}>
            <input data-testid="integration-subject" type="text" value={typeof integration.subject === "string" ? integration.subject : ""} onChange={(event) => setIntegration({ subject: event.target.value || undefined })} />
          </Field>
          <Field label={w.replyTo} help={w.replyToHelp}>
            <select data-testid="integration-reply-to" value={typeof integration.replyTo === "string" ? integration.replyTo : ""} onChange={(event) => setIntegration({ replyTo: event.target.value || undefined })}>
              <option value="">{w.nobody}</option>
              {sends.map((field) => (
                <option key={field} value={field}>
                  {field}
                </option>
              ))}
            </select>
          </Field>
          <p className="form-help" data-testid="integration-processor">
            {integrations.mailProvider ? w.mailProvider(integrations.mailProvider.name, countryOf(integrations.mailProvider.country, lang)) : w.mailProviderUnknown}
          </p>
        </>
      )}
      {integration?.preset === "brevo" && (
        <>
          {secretField("brevo")}
          <Field label={w.listIds} help={w.listIdsHelp}>
            <ListInput testId="integration-list-ids" numbers value={Array.isArray(integration.listIds) ? integration.listIds : []} onChange={(listIds) => setIntegration({ listIds })} />
          </Field>
          <Field label={w.templateId} help={w.templateIdHelp}>
            <input data-testid="integration-template-id" type="number" min={1} value={integration.templateId ?? ""} onChange={(event) => setIntegration({ templateId: event.target.value === "" ? undefined : Number(event.target.value) })} />
          </Field>
          <Field label={w.redirectUrl} help={w.redirectUrlHelp}>
            <input data-testid="integration-redirect-url" type="url" value={typeof integration.redirectUrl === "string" ? integration.redirectUrl : ""} onChange={(event) => setIntegration({ redirectUrl: event.target.value || undefined })} />
          </Field>
          {emailFieldPicker()}
          {attributeRows("Brevo")}
        </>
      )}
      {integration?.preset === "cleverreach" && (
        <>
          {secretField("cleverreach")}
          <Field label={w.groupId} help={w.groupIdHelp}>
            <input data-testid="integration-group-id" type="number" min={1} value={integration.groupId ?? ""} onChange={(event) => setIntegration({ groupId: event.target.value === "" ? undefined : Number(event.target.value) })} />
          </Field>
          <Field label={w.formId} help={w.formIdHelp}>
            <input data-testid="integration-form-id" type="number" min={1} value={integration.formId ?? ""} onChange={(event) => setIntegration({ formId: event.target.value === "" ? undefined : Number(event.target.value) })} />
          </Field>
          {emailFieldPicker()}
          {attributeRows("CleverReach")}
        </>
      )}
      {(integration?.preset === "brevo" || integration?.preset === "cleverreach") && (
        <div className="form-field">
          <span className="form-label">{w.processor}</span>
          <span className="form-help" data-testid="integration-processor">
            {w.processorFixed(presetProcessors[integration.preset].name, countryOf(presetProcessors[integration.preset].country, lang))}
          </span>
        </div>
      )}
    </div>
  );
}
