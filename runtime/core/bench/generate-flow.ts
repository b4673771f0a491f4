/**
 * Generates a realistic, valid flow of any size for the validator benchmark: a utility's
 * customer-service bot made of topic sections, each with information messages, an FAQ, a
 * condition, a handover and one consent-guarded data-collecting process (inputs, then a webhook
 * to an EU processor). About 11% of the nodes are personal inputs.
 *
 * Validity is by construction, and the benchmark checks it:
 * - a section's inputs and webhook are reachable only through its consent's `accept` edge, and
 *   that consent covers exactly the fields they collect and send (consent-missing);
 * - every personal field is sent by the webhook and most are read by the thank-you text
 *   (unused-personal);
 * - sections form a chain ("Weiter: …"), so every node is reachable from `start` (unreachable);
 * - the few field names are shared by all sections, as in real flows, so consent-missing runs
 *   one search per group of fields rather than one per consent node.
 */
import {
  builtInMenuItems,
  type ChoiceOption,
  type CustomMenuItem,
  type Flow,
  type FlowNode,
  type InputNode,
  type NodeType,
  type Position,
} from "../dsl/flow.ts";
import { isPersonalFieldName, personalFormats } from "../dsl/personal-fields.ts";
import { emitYaml } from "./emit-yaml.ts";
import {
  fillIn,
  generalFacts,
  generalQuestions,
  type Purpose,
  purposes,
  type Topic,
  topics,
  towns,
} from "./flow-texts.ts";

export type DamageKind = "unknown-property" | "wrong-type" | "missing-required" | "unknown-node-type";

export interface DamagedNode {
  id: string;
  kind: DamageKind;
}

export interface GenerateOptions {
  /** How many nodes to break, spread evenly over the flow, each with one schema mistake. */
  damagedNodes?: number;
}

export interface FlowComposition {
  /** Nodes per type. */
  byType: Partial<Record<NodeType, number>>;
  /** Inputs that store a personal field, each behind a consent that covers it. */
  personalInputs: number;
  /** Topic sections, each with one consent-guarded data-collecting process. */
  sections: number;
}

export interface GeneratedFlow {
  /** The flow id; check the YAML with the file name `<id>.yaml`. */
  id: string;
  yaml: string;
  damaged: DamagedNode[];
  composition: FlowComposition;
}

/** The flow id of a generated flow, e.g. `stadtwerke-service-10000`. */
export function generatedFlowId(nodeCount: number): string {
  return `stadtwerke-service-${nodeCount}`;
}

/** The YAML of a valid generated flow with exactly `nodeCount` nodes. */
export function generateFlowYaml(nodeCount: number): string {
  return generateFlow(nodeCount).yaml;
}

/** willkommen, kundentyp, hauptmenue, oeffnungszeiten and ende. */
const fixedNodeCount = 5;
const factsPerSection = 6;
const questionsPerSection = 2 + generalQuestions.length;
/** Sections listed in the main menu choice (a choice has at most 20 options). */
const hubSections = 16;

/** A section's nodes apart from its fact messages (see `addSection`). */
function nodesBesidesFacts(purpose: Purpose): number {
  const entry = 3; // start, merken, auswahl
  const faq = 1 + questionsPerSection;
  const advice = 4; // haushalt, pruefen, gewerbe, grosshaushalt
  const consent = 2; // einwilligung, ohne-einwilligung
  const delivery = 3; // senden, danke, fehler
  const handover = 1;
  return entry + faq + advice + consent + purpose.inputs.length + delivery + handover;
}

/** The smallest node count the generator can produce exactly. */
export const minimumNodeCount = fixedNodeCount + nodesBesidesFacts(purposes[(topics[0] as Topic).purpose]) + 1;

interface SectionPlan {
  prefix: string;
  topic: Topic;
  town: string;
  factCount: number;
}

/**
 * Sections of the standard size until the rest is small; the last section's fact chain takes
 * up the difference, so the flow has exactly `nodeCount` nodes.
 */
function planSections(nodeCount: number): SectionPlan[] {
  if (!Number.isInteger(nodeCount) || nodeCount < minimumNodeCount) {
    throw new RangeError(`A generated flow has at least ${minimumNodeCount} nodes; got ${nodeCount}.`);
  }
  const largestTail = Math.max(...Object.values(purposes).map(nodesBesidesFacts)) + 1;
  const plans: SectionPlan[] = [];
  let remaining = nodeCount - fixedNodeCount;
  for (let index = 0; ; index++) {
    const topic = topics[index % topics.length] as Topic;
    const town = towns[Math.floor(index / topics.length) % towns.length] as string;
    const prefix = `${topic.slug}-${index + 1}`;
    const besidesFacts = nodesBesidesFacts(purposes[topic.purpose]);
    if (remaining - (besidesFacts + factsPerSection) >= largestTail) {
      plans.push({ prefix, topic, town, factCount: factsPerSection });
      remaining -= besidesFacts + factsPerSection;
    } else {
      // `remaining` is at least `largestTail` here (or the first section's minimum), so ≥ 1 fact.
      plans.push({ prefix, topic, town, factCount: remaining - besidesFacts });
      return plans;
    }
  }
}

/** Collects nodes in file order with their editor positions. */
class FlowBuilder {
  readonly nodes: Record<string, FlowNode> = {};
  readonly layout: Record<string, Position> = {};

  add(id: string, node: FlowNode, position: Position): void {
    if (id in this.nodes) throw new Error(`Duplicate node id ${id}.`);
    this.nodes[id] = node;
    this.layout[id] = position;
  }
}

/** Boxes of one section on a grid: sections in rows of 25, nodes in rows of 6 inside. */
function sectionPosition(sectionIndex: number, nodeIndex: number): Position {
  const left = (sectionIndex % 25) * 1680;
  const top = 640 + Math.floor(sectionIndex / 25) * 1520;
  return { x: left + (nodeIndex % 6) * 270, y: top + Math.floor(nodeIndex / 6) * 180 };
}

/** A list the schema requires to be non-empty (`minItems: 1`), typed as such. */
function nonEmpty<T>(items: readonly T[]): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error("Expected at least one item.");
  return [first, ...rest];
}

function addSection(
  builder: FlowBuilder,
  plan: SectionPlan,
  sectionIndex: number,
  following: SectionPlan | undefined,
): void {
  const { prefix, topic, town } = plan;
  const purpose = purposes[topic.purpose];
  const fill = (template: string): string => fillIn(template, { topic: topic.title, town });
  const id = (role: string): string => `${prefix}-${role}`;
  let nodeIndex = 0;
  const add = (role: string, node: FlowNode): void =>
    builder.add(id(role), node, sectionPosition(sectionIndex, nodeIndex++));

  const factIds = Array.from({ length: plan.factCount }, (_, index) => id(`info-${index + 1}`));
  const factPool = [...topic.facts, ...generalFacts];
  const questions = [...topic.questions, ...generalQuestions];
  const inputIds = purpose.inputs.map((input) => id(`frage-${input.field}`));
  const fields = purpose.inputs.map((input) => input.field);

  add("start", { type: "message", text: `${topic.title} in ${town}: ${topic.intro}`, next: id("merken") });
  add("merken", { type: "set", set: { thema: topic.slug, standort: town }, next: id("auswahl") });
  const options: [ChoiceOption, ...ChoiceOption[]] = [
    { label: "Informationen", value: "info", next: factIds[0] as string },
    { label: "Häufige Fragen", value: "faq", next: id("faq") },
    { label: "Persönliches Anliegen", value: "anliegen", next: id("haushalt") },
    { label: "Mit einem Mitarbeiter sprechen", value: "mitarbeiter", next: id("uebergabe") },
    following
      ? {
          label: `Weiter: ${following.topic.title} (${following.town})`,
          value: "weiter",
          next: `${following.prefix}-start`,
        }
      : { label: "Gespräch beenden", value: "ende", next: "ende" },
    { label: "Zurück zur Themenübersicht", value: "uebersicht", next: "hauptmenue" },
  ];
  add("auswahl", { type: "choice", text: fill("Was möchten Sie zum Thema {topic} tun?"), field: "anliegen", options });

  factIds.forEach((factId, index) => {
    const next = factIds[index + 1] ?? id("auswahl");
    builder.add(
      factId,
      { type: "message", text: fill(factPool[index % factPool.length] as string), next },
      sectionPosition(sectionIndex, nodeIndex++),
    );
  });

  add("faq", {
    type: "choice",
    text: fill("Welche Frage haben Sie zum Thema {topic}?"),
    options: nonEmpty([
      ...questions.map((question, index) => ({ label: question.label, next: id(`antwort-${index + 1}`) })),
      { label: "Zurück", next: id("auswahl") },
    ]),
  });
  questions.forEach((question, index) => {
    add(`antwort-${index + 1}`, { type: "message", text: fill(question.answer), next: id("auswahl") });
  });

  // The advice branch: a non-personal input and a condition before the consent.
  add("haushalt", {
    type: "input",
    text: "Damit wir Sie richtig beraten: Wie viele Personen leben in Ihrem Haushalt?",
    field: "haushaltsgroesse",
    format: "number",
    retries: 1,
    invalid: id("einwilligung"),
    next: id("pruefen"),
  });
  add("pruefen", {
    type: "condition",
    if: [
      { field: "kundentyp", equals: "gewerbe", next: id("gewerbe") },
      { field: "haushaltsgroesse", gt: 4, next: id("grosshaushalt") },
    ],
    else: id("einwilligung"),
  });
  add("gewerbe", {
    type: "message",
    text: fill(
      "Für Geschäftskunden ist unser Firmenkundenservice in {town} zuständig. Wir leiten Ihr Anliegen gern dorthin weiter.",
    ),
    next: id("einwilligung"),
  });
  add("grosshaushalt", {
    type: "message",
    text: "Bei großen Haushalten lohnt sich oft unser Familientarif. Wir berücksichtigen das bei Ihrem Anliegen.",
    next: id("einwilligung"),
  });

  add("einwilligung", {
    type: "consent",
    purpose: fill(purpose.purpose),
    covers: fields,
    text: fill(purpose.consentText),
    accept: inputIds[0] as string,
    decline: id("ohne-einwilligung"),
  });
  add("ohne-einwilligung", {
    type: "message",
    text: fill(
      "Kein Problem – ohne Ihre Einwilligung speichern wir nichts. Sie erreichen uns auch persönlich im Kundenzentrum {town}.",
    ),
    next: id("auswahl"),
  });
  purpose.inputs.forEach((input, index) => {
    const node: InputNode = {
      type: "input",
      text: input.text,
      field: input.field,
      next: inputIds[index + 1] ?? id("senden"),
    };
    if ("format" in input) node.format = input.format;
    if ("pattern" in input) node.pattern = input.pattern;
    if ("personal" in input) node.personal = input.personal;
    if ("retryText" in input) {
      node.retries = 2;
      node.retryText = input.retryText;
      // After the retries a person takes over rather than the bot asking forever.
      node.invalid = id("uebergabe");
    }
    add(`frage-${input.field}`, node);
  });
  add("senden", {
    type: "webhook",
    url: purpose.url,
    sends: [...fields, "thema"],
    processor: { ...purpose.processor },
    map: { vorgangsnummer: "/vorgang/id" },
    timeout: 8,
    next: id("danke"),
    error: id("fehler"),
  });
  add("danke", { type: "message", text: purpose.thanks, next: id("auswahl") });
  add("fehler", {
    type: "message",
    text: "Leider ist bei der Übermittlung ein technischer Fehler aufgetreten. Bitte versuchen Sie es später noch einmal oder rufen Sie uns unter 0561 782 0 an.",
    next: id("auswahl"),
  });
  add("uebergabe", {
    type: "handover",
    text: fill("Einen Moment bitte – ich verbinde Sie mit einer Kollegin oder einem Kollegen aus dem Team {topic}."),
    shares: ["kundentyp", "thema", "standort"],
    next: id("auswahl"),
  });
}

function buildFlow(nodeCount: number): Flow {
  const plans = planSections(nodeCount);
  const builder = new FlowBuilder();
  const startOf = (plan: SectionPlan): string => `${plan.prefix}-start`;
  const hubPlans = [
    ...new Set(
      Array.from(
        { length: hubSections },
        (_, index) => plans[Math.floor((index * plans.length) / hubSections)] as SectionPlan,
      ),
    ),
  ];

  builder.add(
    "willkommen",
    {
      type: "message",
      text: "Hallo! Ich bin der digitale Assistent der Stadtwerke Nordhessen. Ich beantworte Ihre Fragen rund um Strom, Gas, Wasser, Wärme und Glasfaser – rund um die Uhr.",
      next: "kundentyp",
    },
    { x: 0, y: 0 },
  );
  builder.add(
    "kundentyp",
    {
      type: "choice",
      text: "Sind Sie Privat- oder Geschäftskunde?",
      field: "kundentyp",
      options: [
        { label: "Privatkunde", value: "privat", next: "hauptmenue" },
        { label: "Geschäftskunde", value: "gewerbe", next: "hauptmenue" },
      ],
    },
    { x: 270, y: 0 },
  );
  builder.add(
    "hauptmenue",
    {
      type: "choice",
      text: "Zu welchem Thema kann ich Ihnen helfen?",
      options: nonEmpty([
        ...hubPlans.map((plan) => ({ label: `${plan.topic.title} (${plan.town})`, next: startOf(plan) })),
        { label: "Öffnungszeiten", next: "oeffnungszeiten" },
        { label: "Gespräch beenden", next: "ende" },
      ]),
    },
    { x: 540, y: 0 },
  );
  builder.add(
    "oeffnungszeiten",
    {
      type: "message",
      text: "Unser Kundenzentrum ist Montag bis Freitag von 8 bis 18 Uhr und samstags von 9 bis 13 Uhr geöffnet. Telefonisch erreichen Sie uns unter 0561 782 0.",
      next: "hauptmenue",
    },
    { x: 810, y: 0 },
  );
  plans.forEach((plan, index) => {
    addSection(builder, plan, index, plans[index + 1]);
  });
  builder.add(
    "ende",
    {
      type: "end",
      text: "Vielen Dank für Ihren Besuch! Über das Menü können Sie jederzeit neu beginnen oder Ihre gespeicherten Daten einsehen.",
    },
    { x: 1080, y: 0 },
  );

  const custom: CustomMenuItem[] = [
    { label: "Themenübersicht", goto: "hauptmenue" },
    { label: "Öffnungszeiten", goto: "oeffnungszeiten" },
  ];
  const firstOf = (slug: string): SectionPlan | undefined => plans.find((plan) => plan.topic.slug === slug);
  const outage = firstOf("stoerung");
  if (outage) custom.push({ id: "stoerung", label: "Störung melden", goto: startOf(outage) });
  const meter = firstOf("zaehlerstand");
  if (meter) custom.push({ id: "zaehlerstand", label: "Zählerstand melden", goto: startOf(meter) });

  return {
    flow: generatedFlowId(nodeCount),
    title: "Kundenservice der Stadtwerke Nordhessen",
    description: `Generierter Benchmark-Flow mit ${nodeCount} Knoten in ${plans.length} Themenbereichen.`,
    language: "de",
    privacy: {
      controller: {
        name: "Stadtwerke Nordhessen GmbH",
        address: "Königstor 3, 34117 Kassel",
        email: "datenschutz@stadtwerke-nordhessen.example",
        dpo: "Dr. Anna Weber, dsb@stadtwerke-nordhessen.example",
      },
      policyUrl: "https://stadtwerke-nordhessen.example/datenschutz",
      imprintUrl: "https://stadtwerke-nordhessen.example/impressum",
      retention: "P1Y",
    },
    menu: [...builtInMenuItems, ...custom],
    start: "willkommen",
    nodes: builder.nodes,
    layout: builder.layout,
  };
}

/** Whether an input stores personal data, by the same rules as the validator (docs/flows.md#personal-fields). */
function isPersonalInput(node: InputNode): boolean {
  if (node.personal !== undefined) return node.personal;
  return (node.format !== undefined && personalFormats.has(node.format)) || isPersonalFieldName(node.field);
}

function describeComposition(flow: Flow): FlowComposition {
  const byType: Partial<Record<NodeType, number>> = {};
  let personalInputs = 0;
  let sections = 0;
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (!node) continue;
    byType[node.type] = (byType[node.type] ?? 0) + 1;
    if (node.type === "input" && isPersonalInput(node)) personalInputs++;
    if (id.endsWith("-start")) sections++;
  }
  return { byType, personalInputs, sections };
}

/** Whether a damage kind applies to a node, and the damaged node. */
const damages: Record<DamageKind, (node: FlowNode) => Record<string, unknown> | undefined> = {
  // A typo in a key: `nxet` instead of `next`.
  "unknown-property": (node) => {
    if (node.type !== "message" || node.next === undefined) return undefined;
    const { next, ...rest } = node;
    return { ...rest, nxet: next };
  },
  "wrong-type": (node) => (node.type === "input" ? { ...node, retries: "zwei" } : undefined),
  "missing-required": (node) => {
    if (node.type !== "choice") return undefined;
    const { text: _removed, ...rest } = node;
    return rest;
  },
  "unknown-node-type": (node) => (node.type === "message" ? { ...node, type: "nachricht" } : undefined),
};

const damageKinds = Object.keys(damages) as DamageKind[];

/**
 * Breaks `count` nodes spread evenly over the flow, cycling through the damage kinds: from each
 * evenly spaced position, the next node the kind applies to.
 */
function damageNodes(nodes: Flow["nodes"], count: number): { nodes: Record<string, unknown>; damaged: DamagedNode[] } {
  const ids = Object.keys(nodes);
  const replaced = new Map<string, Record<string, unknown>>();
  const damaged: DamagedNode[] = [];
  for (let index = 0; index < Math.min(count, ids.length); index++) {
    const kind = damageKinds[index % damageKinds.length] as DamageKind;
    const from = Math.floor((index * ids.length) / count);
    for (let offset = 0; offset < ids.length; offset++) {
      const id = ids[(from + offset) % ids.length] as string;
      const node = nodes[id];
      const broken = node === undefined || replaced.has(id) ? undefined : damages[kind](node);
      if (!broken) continue;
      replaced.set(id, broken);
      damaged.push({ id, kind });
      break;
    }
  }
  return { nodes: Object.fromEntries(ids.map((id) => [id, replaced.get(id) ?? nodes[id]])), damaged };
}

/** Mappings written on one line, as authors do: processor, reply map, assignments, positions. */
const inlineMappingKeys = new Set(["processor", "map", "set"]);

/** A generated flow; with `damagedNodes`, broken on purpose for the slow path of the check. */
export function generateFlow(nodeCount: number, options: GenerateOptions = {}): GeneratedFlow {
  const flow = buildFlow(nodeCount);
  const { nodes, damaged } = damageNodes(flow.nodes, options.damagedNodes ?? 0);
  const header = [
    "# yaml-language-server: $schema=../schemas/flow.schema.json",
    "# Generated by runtime/core/bench/generate-flow.ts for the validator benchmark.",
  ];
  const body = emitYaml(
    { ...flow, nodes },
    { inline: (key, parentKey) => inlineMappingKeys.has(key) || parentKey === "layout" },
  );
  return { id: flow.flow, yaml: `${header.join("\n")}\n${body}`, damaged, composition: describeComposition(flow) };
}
