/**
 * The templates gallery: each example flow as a card with a preview picture (its steps as
 * coloured boxes with their symbols, in order) and a description in the UI's language. A group of
 * radio buttons, so it works by keyboard and screen reader like any choice.
 */
import type { ExampleFlow } from "../api/editor-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { isNodeType, nodePresentations } from "../nodes/node-presentations.ts";

/** Titles of the bundled examples in both languages; another example shows its own `title`. */
const titles: Record<string, Record<UiLanguage, string>> = {
  "callback-request": { de: "Rückruf anfordern", en: "Request a call back" },
  "callback-durable": { de: "Rückruf anfordern (zuverlässige Zustellung)", en: "Request a call back (reliable delivery)" },
  "newsletter-signup": { de: "Newsletter abonnieren", en: "Newsletter sign-up" },
  "demo-request": { de: "Produktdemo anfragen", en: "Request a product demo" },
  "appointment-booking": { de: "Werkstatttermin buchen", en: "Book a workshop appointment" },
  "support-faq": { de: "Kundenservice – häufige Fragen", en: "Customer service – frequent questions" },
  "non-compliant-lead-capture": { de: "Angebot anfordern (fehlerhaft)", en: "Request a quote (flawed)" },
};

/** Descriptions of the bundled examples in both languages; another example shows its own `description`. */
const descriptions: Record<string, Record<UiLanguage, string>> = {
  "callback-request": {
    de: "Besucher bitten um einen Rückruf: Einwilligung, Name und Telefonnummer, Weitergabe an Ihr CRM.",
    en: "Visitors ask for a call back: consent, name and phone number, handed to your CRM.",
  },
  "callback-durable": {
    de: "Wie „Rückruf anfordern“, mit zuverlässiger Zustellung an Ihr System auch bei Ausfällen.",
    en: "Like “Request a call back”, with reliable delivery to your system even through outages.",
  },
  "newsletter-signup": {
    de: "Anmeldung zum Newsletter mit eigener Einwilligung und Double-Opt-in über Ihr Newsletter-Programm.",
    en: "Newsletter sign-up with its own consent and double opt-in through your newsletter tool.",
  },
  "demo-request": {
    de: "Interessenten fragen eine Produktdemo an: Firma, Kontakt und Wunschtermin.",
    en: "Prospects ask for a product demo: company, contact and preferred date.",
  },
  "appointment-booking": {
    de: "Termin in der Werkstatt buchen: Anliegen, Wunschtag, Kontakt – mit Bestätigung.",
    en: "Book a workshop appointment: the matter, a preferred day, contact – with confirmation.",
  },
  "support-faq": {
    de: "Kundenservice: beantwortet häufige Fragen in eigenen Worten und übergibt bei Bedarf an einen Menschen.",
    en: "Customer service: answers frequent questions asked in plain words and hands over to a human when needed.",
  },
  "non-compliant-lead-capture": {
    de: "Absichtlich fehlerhaft: zeigt, wie der Editor fehlende Einwilligungen und Datenschutzangaben meldet.",
    en: "Flawed on purpose: shows how the editor reports missing consents and privacy settings.",
  },
};

function PreviewPicture({ steps }: { steps: readonly string[] }) {
  const shown = steps.slice(0, 12);
  const width = 22 + shown.length * 26;
  return (
    <svg className="template-picture" viewBox={`0 0 ${width} 40`} width={width} height={40} aria-hidden="true" focusable="false">
      {shown.map((type, index) => {
        const presentation = isNodeType(type) ? nodePresentations[type] : undefined;
        const x = 6 + index * 26;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a picture of the steps in order
          <g key={index}>
            {index > 0 && <line x1={x - 6} y1={20} x2={x} y2={20} stroke="#9ca3af" strokeWidth={2} />}
            <rect x={x} y={8} width={20} height={24} rx={4} fill="#fff" stroke={presentation?.color ?? "#9ca3af"} strokeWidth={2} />
            <text x={x + 10} y={25} textAnchor="middle" fontSize={12} fill={presentation?.color ?? "#6b7280"}>
              {presentation?.icon ?? "?"}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function TemplateGallery({ examples, value, lang, onChange }: { examples: readonly ExampleFlow[]; value: string; lang: UiLanguage; onChange(id: string): void }) {
  const blank = { id: "", title: t(lang, "blankFlow"), steps: ["message"] } as ExampleFlow;
  return (
    <fieldset className="template-gallery" data-testid="template-gallery">
      <legend className="form-label">{t(lang, "fromExample")}</legend>
      {[blank, ...examples].map((example) => {
        const description = example.id === "" ? t(lang, "blankFlowHelp") : (descriptions[example.id]?.[lang] ?? example.description ?? "");
        return (
          <label key={example.id || "blank"} className={`template-card${value === example.id ? " chosen" : ""}`} data-testid={`template-${example.id || "blank"}`}>
            <input type="radio" name="template" value={example.id} checked={value === example.id} onChange={() => onChange(example.id)} />
            <PreviewPicture steps={example.steps} />
            <span className="template-title">{titles[example.id]?.[lang] ?? (example.title || example.id)}</span>
            <span className="form-help">{description}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
