/**
 * The side panel: a form per node type generated from its JSON schema (labels and help from
 * the catalog), or, with nothing selected, the flow's settings: title, language, privacy
 * (retention as a friendly picker) and the menu with the four built-ins locked.
 */
import { useEffect, useState } from "react";
import { botMenuLabels, builtInMenuItems, nodeDefinitions } from "../../../runtime/core/index.ts";
import { helpOf, labelOf, nestedProperty, valueLabelOf } from "../i18n/field-labels.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { nodeIdPattern, renameNode, setFlowValue, setNodeValue } from "../model/edit-operations.ts";
import type { FlowDocument } from "../model/flow-document.ts";
import { idFromName } from "../model/names.ts";
import { stepName } from "../model/problem-places.ts";
import { isNodeType, nodePresentations } from "../nodes/node-presentations.ts";
import { OpeningHoursSettings } from "./OpeningHoursSettings.tsx";
import type { EditorIntegrations } from "../api/editor-api.ts";
import { IntegrationForm, propertiesHiddenBy } from "./IntegrationForm.tsx";

export type Edit = (edit: (doc: FlowDocument) => void, key?: string) => void;

interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
}

type Path = (string | number)[];

function refName(schema: JsonSchema): string | undefined {
  return schema.$ref?.split("/").pop();
}

interface FieldContext {
  lang: UiLanguage;
  nodeIds: string[];
  /** The flow's steps by id, to name them in step pickers. */
  nodes: Readonly<Record<string, unknown>>;
  /** Problems by the JSON pointer of the field they are about. */
  fieldErrors: ReadonlyMap<string, string>;
  /** The pointer of the form's object (`/nodes/<id>`). */
  base: string;
  onChange(path: Path, value: unknown): void;
}

function pointerOf(base: string, path: Path): string {
  return `${base}/${path.map((segment) => String(segment).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

function Labelled({ property, schema, lang, error, children }: { property: string; schema: JsonSchema; lang: UiLanguage; error?: string | undefined; children: React.ReactNode }) {
  const help = helpOf(property, lang, schema.description);
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children
    <label className="form-field">
      <span className="form-label">{labelOf(property, lang)}</span>
      {children}
      {error && (
        <span className="form-error" data-testid="field-error">
          ⚠ {error}
        </span>
      )}
      {help && <span className="form-help">{help}</span>}
    </label>
  );
}

/**
 * A picker of steps by what they say. Its options render on first focus: a thousand options in
 * every reference field of a form would slow opening a step of a large flow.
 */
export function StepPicker({ value, nodeIds, nodes, lang, testId, pointer, label, onChange }: { value: string; nodeIds: readonly string[]; nodes: Readonly<Record<string, unknown>>; lang: UiLanguage; testId?: string; pointer?: string; label?: string; onChange(value: string | undefined): void }) {
  const [expanded, setExpanded] = useState(false);
  const known = value === "" || nodeIds.includes(value);
  const shown = expanded ? nodeIds : value === "" ? [] : [value];
  return (
    <>
      <select
        data-testid={testId}
        data-pointer={pointer}
        aria-label={label}
        value={value}
        onFocus={() => setExpanded(true)}
        onPointerDown={() => setExpanded(true)}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        <option value="">{t(lang, "chooseStep")}</option>
        {shown.map((id) => (
          <option key={id} value={id}>
            {known || id !== value ? stepName(id, nodes[id], lang) : id}
          </option>
        ))}
      </select>
      {!known && <span className="form-error">⚠ {t(lang, "stepMissing", { id: value })}</span>}
    </>
  );
}

function asText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

/** One property's input, chosen by its schema. */
function SchemaField({ property, schema, value, path, context }: { property: string; schema: JsonSchema; value: unknown; path: Path; context: FieldContext }) {
  const { lang, onChange } = context;
  const ref = refName(schema);
  const testId = `field-${path.join(".")}`;
  const pointer = pointerOf(context.base, path);
  const error = context.fieldErrors.get(pointer);
  if (ref === "nodeId") {
    return (
      <Labelled property={property} schema={schema} lang={lang} error={error}>
        <StepPicker value={asText(value)} nodeIds={context.nodeIds} nodes={context.nodes} lang={lang} testId={testId} pointer={pointer} onChange={(next) => onChange(path, next)} />
      </Labelled>
    );
  }
  if (ref === "text") {
    return (
      <Labelled property={property} schema={schema} lang={lang} error={error}>
        <textarea data-testid={testId} data-pointer={pointer} rows={3} value={asText(value)} onChange={(event) => onChange(path, event.target.value === "" ? undefined : event.target.value)} />
      </Labelled>
    );
  }
  if (ref === "fieldList" || (schema.type === "array" && schema.items && (refName(schema.items) === "fieldName" || schema.items.type === "string"))) {
    return <ListField property={property} schema={schema} value={value} path={path} context={context} testId={testId} />;
  }
  if (schema.enum) {
    return (
      <Labelled property={property} schema={schema} lang={lang} error={error}>
        <select data-testid={testId} data-pointer={pointer} value={asText(value)} onChange={(event) => onChange(path, event.target.value || undefined)}>
          <option value="">{t(lang, "notSet")}</option>
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {valueLabelOf(property, String(option), lang)}
            </option>
          ))}
        </select>
      </Labelled>
    );
  }
  // Off unless ticked (`default: false`): a tick box, and unticking removes the line from the YAML.
  if (schema.type === "boolean" && schema.default === false) {
    const help = helpOf(property, lang, schema.description);
    return (
      <div className="form-field">
        <label className="form-check">
          <input type="checkbox" data-testid={testId} data-pointer={pointer} checked={value === true} onChange={(event) => onChange(path, event.target.checked ? true : undefined)} />
          <span className="form-label">{labelOf(property, lang)}</span>
        </label>
        {error && (
          <span className="form-error" data-testid="field-error">
            ⚠ {error}
          </span>
        )}
        {help && <span className="form-help">{help}</span>}
      </div>
    );
  }
  if (schema.type === "boolean") {
    return (
      <Labelled property={property} schema={schema} lang={lang} error={error}>
        <select data-testid={testId} data-pointer={pointer} value={value === undefined ? "" : String(value)} onChange={(event) => onChange(path, event.target.value === "" ? undefined : event.target.value === "true")}>
          <option value="">{t(lang, "notSet")}</option>
          <option value="true">{t(lang, "yes")}</option>
          <option value="false">{t(lang, "no")}</option>
        </select>
      </Labelled>
    );
  }
  if (schema.type === "integer" || schema.type === "number") {
    return (
      <Labelled property={property} schema={schema} lang={lang} error={error}>
        <input
          data-testid={testId}
          data-pointer={pointer}
          type="number"
          value={asText(value)}
          onChange={(event) => onChange(path, event.target.value === "" ? undefined : Number(event.target.value))}
        />
      </Labelled>
    );
  }
  if (schema.type === "array" && schema.items?.properties) {
    const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
    return (
      <fieldset className="form-list" data-testid={testId} data-pointer={pointer}>
        <legend>{labelOf(property, lang)}</legend>
        {items.map((item, index) => (
          // Items have no stable id; their position is what the document knows them by.
          // biome-ignore lint/suspicious/noArrayIndexKey: list items are addressed by index in the YAML too
          <div className="form-list-item" key={index}>
            {Object.entries(schema.items?.properties ?? {}).map(([name, itemSchema]) => (
              <SchemaField key={name} property={name} schema={itemSchema} value={item?.[name]} path={[...path, index, name]} context={context} />
            ))}
            <button type="button" className="small" onClick={() => onChange(path, items.filter((_, other) => other !== index))}>
              {t(lang, "remove")}
            </button>
          </div>
        ))}
        <button type="button" className="small" data-testid={`${testId}-add`} onClick={() => onChange([...path, items.length], { [Object.keys(schema.items?.properties ?? {})[0] ?? "label"]: `${items.length + 1}` })}>
          {t(lang, "add")}
        </button>
      </fieldset>
    );
  }
  if (schema.type === "object" && schema.properties) {
    const object = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
    return (
      <fieldset className="form-group">
        <legend>{labelOf(property, lang)}</legend>
        {Object.entries(schema.properties).map(([name, inner]) => (
          <SchemaField key={name} property={nestedProperty(property, name)} schema={inner} value={object[name]} path={[...path, name]} context={context} />
        ))}
      </fieldset>
    );
  }
  if (schema.type === "object") return <KeyValueField property={property} schema={schema} value={value} path={path} context={context} testId={testId} />;
  return (
    <Labelled property={property} schema={schema} lang={lang} error={error}>
      <input data-testid={testId} data-pointer={pointer} type="text" value={asText(value)} onChange={(event) => onChange(path, event.target.value === "" ? undefined : event.target.value)} />
    </Labelled>
  );
}

/** A comma-separated list, kept as typed until it parses (so a trailing comma does not vanish). */
function ListField({ property, schema, value, path, context, testId }: { property: string; schema: JsonSchema; value: unknown; path: Path; context: FieldContext; testId: string }) {
  const joined = Array.isArray(value) ? value.map(asText).join(", ") : "";
  const [draft, setDraft] = useState(joined);
  useEffect(() => setDraft((current) => (split(current).join(", ") === joined ? current : joined)), [joined]);
  return (
    <Labelled property={property} schema={schema} lang={context.lang} error={context.fieldErrors.get(pointerOf(context.base, path))}>
      <input
        data-testid={testId}
        data-pointer={pointerOf(context.base, path)}
        type="text"
        value={draft}
        placeholder={t(context.lang, "listHelp")}
        onChange={(event) => {
          setDraft(event.target.value);
          context.onChange(path, split(event.target.value));
        }}
      />
    </Labelled>
  );
}

function split(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** `field: value` lines for free-form maps (`set`, a webhook's `map`). */
function KeyValueField({ property, schema, value, path, context, testId }: { property: string; schema: JsonSchema; value: unknown; path: Path; context: FieldContext; testId: string }) {
  const object = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const text = Object.entries(object)
    .map(([key, item]) => `${key}: ${asText(item)}`)
    .join("\n");
  const [draft, setDraft] = useState(text);
  useEffect(() => setDraft(text), [text]);
  return (
    <Labelled property={property} schema={schema} lang={context.lang} error={context.fieldErrors.get(pointerOf(context.base, path))}>
      <textarea
        data-testid={testId}
        data-pointer={pointerOf(context.base, path)}
        rows={3}
        value={draft}
        placeholder={t(context.lang, "keyValueHelp")}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => {
          const entries = draft
            .split("\n")
            .map((line) => line.split(":"))
            .filter((parts) => parts.length >= 2 && (parts[0] ?? "").trim() !== "")
            .map((parts) => [(parts[0] ?? "").trim(), parts.slice(1).join(":").trim()]);
          context.onChange(path, Object.fromEntries(entries));
        }}
      />
    </Labelled>
  );
}

export interface FormProps {
  nodeIds: string[];
  nodes: Readonly<Record<string, unknown>>;
  fieldErrors: ReadonlyMap<string, string>;
  lang: UiLanguage;
  onEdit: Edit;
}

/** The id a typed step name gives: kept as typed when it is an id already, else derived from the words. */
function stepIdFromName(name: string): string {
  const trimmed = name.trim();
  return nodeIdPattern.test(trimmed) ? trimmed : idFromName(trimmed, 80);
}

export function NodeForm({ id, node, nodeIds, nodes, fieldErrors, isStart, lang, onEdit, onRenamed, integrations }: FormProps & { id: string; node: Record<string, unknown>; isStart: boolean; onRenamed(id: string): void; integrations?: EditorIntegrations }) {
  const [newName, setNewName] = useState(id);
  const [renameError, setRenameError] = useState<string | undefined>();
  useEffect(() => setNewName(id), [id]);
  if (!isNodeType(node.type)) return <p>{t(lang, "unknownType")}</p>;
  const type = node.type;
  const schema = nodeDefinitions[type].schema as JsonSchema;
  const context: FieldContext = { lang, nodeIds, nodes, fieldErrors, base: `/nodes/${id.replace(/~/g, "~0").replace(/\//g, "~1")}`, onChange: (path, value) => onEdit((doc) => setNodeValue(doc, id, path, value), `${id}/${path.join("/")}`) };
  const rename = () => {
    const to = stepIdFromName(newName);
    if (to === id) return;
    if (to === "") return setRenameError(t(lang, "renameInvalid", { name: newName }));
    if (nodeIds.includes(to)) return setRenameError(t(lang, "renameTaken", { id: to }));
    setRenameError(undefined);
    onEdit((doc) => renameNode(doc, id, to));
    onRenamed(to);
  };
  return (
    <div className="node-form" data-testid="node-form">
      <h2>
        <span aria-hidden="true">{nodePresentations[type].icon}</span> {nodePresentations[type].title[lang]}
      </h2>
      <p className="form-help">{nodePresentations[type].description[lang]}</p>
      <form
        className="form-field"
        onSubmit={(event) => {
          event.preventDefault();
          rename();
        }}
      >
        <label className="form-label" htmlFor="step-name">
          {t(lang, "nodeId")}
        </label>
        <div className="row">
          <input id="step-name" data-testid="node-id" value={newName} onChange={(event) => setNewName(event.target.value)} />
          <button type="submit" className="small" data-testid="rename-step" disabled={stepIdFromName(newName) === id}>
            {t(lang, "renameNode")}
          </button>
        </div>
        {renameError !== undefined && (
          <span className="form-error" role="alert" data-testid="rename-error">
            ⚠ {renameError}
          </span>
        )}
        <span className="form-help">{t(lang, "stepNameHelp")}</span>
      </form>
      {isStart ? (
        <p className="form-help">{t(lang, "isStart")}</p>
      ) : (
        <button type="button" className="small" onClick={() => onEdit((doc) => setFlowValue(doc, ["start"], id))}>
          {t(lang, "startHere")}
        </button>
      )}
      {type === "webhook" && <IntegrationForm id={id} node={node} lang={lang} integrations={integrations ?? { secrets: [] }} onEdit={onEdit} />}
      {Object.entries(schema.properties ?? {})
        .filter(([name]) => name !== "type" && !(type === "webhook" && propertiesHiddenBy(node).has(name)))
        .map(([name, propertySchema]) => (
          <SchemaField key={name} property={name} schema={propertySchema} value={node[name]} path={[name]} context={context} />
        ))}
    </div>
  );
}

const retentionUnits = [
  ["D", "days"],
  ["W", "weeks"],
  ["M", "months"],
  ["Y", "years"],
] as const;

function RetentionPicker({ value, lang, onChange }: { value: unknown; lang: UiLanguage; onChange(value: string | undefined): void }) {
  const match = typeof value === "string" ? /^P(\d+)([DWMY])$/.exec(value) : null;
  const amount = match ? Number(match[1]) : 90;
  const unit = match ? (match[2] as string) : "D";
  return (
    <div className="form-field">
      <span className="form-label">{t(lang, "retention")}</span>
      <div className="row">
        <input data-testid="retention-amount" data-pointer="/privacy/retention" aria-label={t(lang, "retention")} type="number" min={1} value={amount} onChange={(event) => onChange(`P${Math.max(1, Number(event.target.value) || 1)}${unit}`)} />
        <select data-testid="retention-unit" aria-label={`${t(lang, "retention")}: ${t(lang, "retentionUnit")}`} value={unit} onChange={(event) => onChange(`P${amount}${event.target.value}`)}>
          {retentionUnits.map(([code, key]) => (
            <option key={code} value={code}>
              {t(lang, key)}
            </option>
          ))}
        </select>
      </div>
      {typeof value === "string" && !match && <span className="form-help">{value}</span>}
      <span className="form-help">{t(lang, "retentionHelp")}</span>
    </div>
  );
}

export function FlowSettings({ value, nodeIds, nodes, fieldErrors, lang, onEdit }: FormProps & { value: Record<string, unknown> }) {
  const privacy = (typeof value.privacy === "object" && value.privacy) || {};
  const controller = (typeof (privacy as Record<string, unknown>).controller === "object" && (privacy as Record<string, unknown>).controller) || {};
  const menu = Array.isArray(value.menu) ? (value.menu as unknown[]) : [];
  const set = (path: Path, next: unknown) => onEdit((doc) => setFlowValue(doc, path, next === "" ? undefined : next), path.join("/"));
  const text = (label: string, path: Path, current: unknown, testId: string) => {
    const pointer = pointerOf("", path);
    const error = fieldErrors.get(pointer);
    return (
      <label className="form-field">
        <span className="form-label">{label}</span>
        <input data-testid={testId} data-pointer={pointer} type="text" value={asText(current)} onChange={(event) => set(path, event.target.value)} />
        {error && (
          <span className="form-error" data-testid="field-error">
            ⚠ {error}
          </span>
        )}
      </label>
    );
  };
  const menuLabels = botMenuLabels(lang);
  return (
    <div className="flow-settings" data-testid="flow-settings">
      <h2>{t(lang, "flowSettings")}</h2>
      {text(t(lang, "title"), ["title"], value.title, "flow-title")}
      <p className="form-help">
        {t(lang, "technicalId")}: <code>{asText(value.flow)}</code>
      </p>
      <label className="form-field">
        <span className="form-label">{t(lang, "flowLanguage")}</span>
        <select data-testid="flow-language" data-pointer="/language" value={asText(value.language)} onChange={(event) => set(["language"], event.target.value)}>
          <option value="de">Deutsch</option>
          <option value="en">English</option>
        </select>
      </label>
      <fieldset className="form-group">
        <legend>{t(lang, "privacy")}</legend>
        {text(t(lang, "controllerName"), ["privacy", "controller", "name"], (controller as Record<string, unknown>).name, "controller-name")}
        {text(t(lang, "controllerAddress"), ["privacy", "controller", "address"], (controller as Record<string, unknown>).address, "controller-address")}
        {text(t(lang, "controllerEmail"), ["privacy", "controller", "email"], (controller as Record<string, unknown>).email, "controller-email")}
        {text(t(lang, "controllerDpo"), ["privacy", "controller", "dpo"], (controller as Record<string, unknown>).dpo, "controller-dpo")}
        {text(t(lang, "policyUrl"), ["privacy", "policyUrl"], (privacy as Record<string, unknown>).policyUrl, "policy-url")}
        {text(t(lang, "imprintUrl"), ["privacy", "imprintUrl"], (privacy as Record<string, unknown>).imprintUrl, "imprint-url")}
        <RetentionPicker value={(privacy as Record<string, unknown>).retention} lang={lang} onChange={(next) => set(["privacy", "retention"], next)} />
        <div className="form-field">
          <label className="form-check">
            <input
              type="checkbox"
              data-testid="editors-see-results"
              data-pointer="/privacy/editorsSeeResults"
              checked={(privacy as Record<string, unknown>).editorsSeeResults === true}
              onChange={(event) => set(["privacy", "editorsSeeResults"], event.target.checked ? true : undefined)}
            />
            <span className="form-label">{t(lang, "editorsSeeResults")}</span>
          </label>
          <span className="form-help">{t(lang, "editorsSeeResultsHelp")}</span>
        </div>
      </fieldset>
      <fieldset className="form-group" data-testid="menu-settings">
        <legend>{t(lang, "menu")}</legend>
        <p className="form-help">{t(lang, "menuHelp")}</p>
        {builtInMenuItems.map((item) => (
          <div key={item} className="menu-item locked">
            ✓ {menuLabels[item]} <span className="form-help">({t(lang, "builtInLocked")})</span>
          </div>
        ))}
        {menu.map((item, index) =>
          typeof item === "object" && item !== null ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: menu items are addressed by index in the YAML too
            <div key={index} className="menu-item">
              <input
                aria-label={t(lang, "label")}
                value={asText((item as Record<string, unknown>).label)}
                onChange={(event) => set(["menu", index, "label"], event.target.value)}
              />
              <StepPicker
                label={t(lang, "goesTo")}
                pointer={pointerOf("", ["menu", index, "goto"])}
                value={asText((item as Record<string, unknown>).goto)}
                nodeIds={nodeIds}
                nodes={nodes}
                lang={lang}
                onChange={(next) => set(["menu", index, "goto"], next ?? "")}
              />
              <button type="button" className="small" onClick={() => onEdit((doc) => doc.deleteIn(["menu", index]))}>
                {t(lang, "remove")}
              </button>
            </div>
          ) : null,
        )}
        <button
          type="button"
          className="small"
          onClick={() =>
            onEdit((doc) => {
              const item = { label: t(lang, "label"), goto: nodeIds[0] ?? "" };
              const hasBuiltIns = builtInMenuItems.every((builtIn) => menu.includes(builtIn));
              // Appending keeps the menu's comments; a menu lacking built-ins gets them back first.
              if (hasBuiltIns) doc.addIn(["menu"], doc.createNode(item));
              else setFlowValue(doc, ["menu"], [...builtInMenuItems, ...menu.filter((entry) => typeof entry === "object"), item]);
            })
          }
        >
          {t(lang, "addMenuItem")}
        </button>
      </fieldset>
      <OpeningHoursSettings value={value.openingHours} fieldErrors={fieldErrors} lang={lang} onEdit={onEdit} />
    </div>
  );
}
