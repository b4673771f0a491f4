/**
 * Typed builders for the validator's tests (CONTRIBUTING.md#tests).
 * `minimalFlow()` is a valid flow with no problems at all; `callbackRequestFlow()` is the
 * reference example. Both return an immutable `FlowBuilder`, so a test derives its violating
 * flow from the compliant twin by changing one node. Test-only: nothing in the core imports it.
 *
 * @example
 * const noConsent = minimalFlow().with("welcome", node.input("email", "done"));
 * expect(problemSummary(check(noConsent, "consent-missing"))).toEqual([["consent-missing", "welcome", "email"]]);
 */
import type {
  ChoiceNode,
  ConditionNode,
  ConsentNode,
  EndNode,
  Flow,
  FlowNode,
  InputNode,
  MenuItem,
  MessageNode,
  Privacy,
  Processor,
  WebhookNode,
} from "../dsl/flow.ts";
import type { MessengerChannel } from "../channels/channel-table.ts";
import type { Language, RuleId, UnlocatedProblem } from "./problem.ts";
import { checkFlowValue } from "./validate-flow.ts";

type InputOptions = Partial<Omit<InputNode, "type" | "field" | "next">>;

/** One small factory per node type; texts never interpolate fields unless a test asks. */
export const node = {
  message(next?: string, text = "Hallo!"): MessageNode {
    return next === undefined ? { type: "message", text } : { type: "message", text, next };
  },
  /** A choice with one option per target, labelled `Option 1`, `Option 2`, … */
  choice(first: string, ...more: string[]): ChoiceNode {
    const [head, ...tail] = [first, ...more].map((next, index) => ({ label: `Option ${index + 1}`, next }));
    return { type: "choice", text: "Wie kann ich helfen?", options: [head as ChoiceNode["options"][0], ...tail] };
  },
  input(field: string, next: string, options: InputOptions = {}): InputNode {
    return { type: "input", text: "Ihre Angabe bitte.", field, next, ...options };
  },
  consent(covers: readonly [string, ...string[]], accept: string, decline: string): ConsentNode {
    return {
      type: "consent",
      purpose: "Rückruf",
      covers: [...covers],
      text: "Dürfen wir das speichern?",
      accept,
      decline,
    };
  },
  /** Branches testing `exists: true` on a field, in order, then `else`. */
  condition(
    branches: readonly [readonly [field: string, next: string], ...(readonly [string, string])[]],
    otherwise: string,
  ): ConditionNode {
    const [head, ...tail] = branches.map(([field, next]) => ({ field, exists: true, next }));
    return { type: "condition", if: [head as ConditionNode["if"][0], ...tail], else: otherwise };
  },
  /** With a processor, the step also says where the processor takes notices (`notices-missing` otherwise); `webhookWithoutNotices` leaves it out. */
  webhook(sends: readonly string[], next: string, processor?: Processor): WebhookNode {
    const hook: WebhookNode = { type: "webhook", url: "https://crm.muster.example/api", sends: [...sends], next };
    return processor === undefined ? hook : { ...hook, processor, notices: { url: "https://crm.muster.example/gdpr" } };
  },
  webhookWithoutNotices(sends: readonly string[], next: string, processor: Processor): WebhookNode {
    return { type: "webhook", url: "https://crm.muster.example/api", sends: [...sends], next, processor };
  },
  end(): EndNode {
    return { type: "end" };
  },
};

/** An EU processor: needs no safeguard. */
export const germanProcessor: Processor = { name: "Muster CRM GmbH", country: "DE" };

export class FlowBuilder {
  private constructor(private readonly flow: Flow) {}

  static of(flow: Flow): FlowBuilder {
    return new FlowBuilder(structuredClone(flow));
  }

  /** Adds the node, or replaces the node with this id (keeping its position in `nodes`). */
  with(id: string, added: FlowNode): FlowBuilder {
    return this.change((flow) => {
      flow.nodes[id] = structuredClone(added);
    });
  }

  without(id: string): FlowBuilder {
    return this.change((flow) => {
      delete flow.nodes[id];
    });
  }

  start(id: string): FlowBuilder {
    return this.change((flow) => {
      flow.start = id;
    });
  }

  /** Replaces the whole menu; `undefined` removes it. */
  menu(items: readonly MenuItem[] | undefined): FlowBuilder {
    return this.change((flow) => {
      if (items === undefined) delete flow.menu;
      else flow.menu = structuredClone([...items]);
    });
  }

  /** Appends a custom menu item that jumps to `goto`, an entry point of the flow. */
  menuGoto(goto: string, label = "Direkt"): FlowBuilder {
    return this.change((flow) => {
      flow.menu = [...(flow.menu ?? []), { label, goto }];
    });
  }

  /** Changes `privacy`; a key given as `undefined` is removed. */
  privacy(changes: Partial<Privacy>): FlowBuilder {
    return this.change((flow) => {
      for (const [key, value] of Object.entries(changes) as [keyof Privacy, Privacy[keyof Privacy]][]) {
        if (value === undefined) delete flow.privacy[key];
        else Object.assign(flow.privacy, { [key]: value });
      }
    });
  }

  build(): Flow {
    return structuredClone(this.flow);
  }

  private change(edit: (flow: Flow) => void): FlowBuilder {
    const copy = structuredClone(this.flow);
    edit(copy);
    return new FlowBuilder(copy);
  }
}

const basePrivacy: Privacy = {
  controller: { name: "Muster GmbH", address: "Musterstraße 1, 10115 Berlin", email: "datenschutz@muster.example" },
  policyUrl: "https://muster.example/datenschutz",
  imprintUrl: "https://muster.example/impressum",
  retention: "P90D",
};

const builtInMenu: MenuItem[] = ["privacy", "imprint", "my-data", "unsubscribe"];

/** `welcome → done`, full privacy block, the four built-in menu items: no problems at all. */
export function minimalFlow(): FlowBuilder {
  return FlowBuilder.of({
    flow: "test-flow",
    title: "Testflow",
    language: "de",
    privacy: basePrivacy,
    menu: builtInMenu,
    start: "welcome",
    nodes: { welcome: node.message("done"), done: node.end() },
  });
}

/**
 * The reference flow (docs/flows.md#the-reference-flow): welcome → main → consent-callback (covers name, phone) → ask-name →
 * ask-phone → send-crm → thanks → done; decline → no-consent → main; main and the menu → hours.
 */
export function callbackRequestFlow(): FlowBuilder {
  return FlowBuilder.of({
    flow: "callback-request",
    title: "Rückruf anfordern",
    language: "de",
    privacy: basePrivacy,
    menu: [...builtInMenu, { label: "Öffnungszeiten", goto: "hours" }],
    start: "welcome",
    nodes: {
      welcome: node.message("main", "Hallo! Ich bin der Service-Bot der Muster GmbH."),
      main: node.choice("consent-callback", "hours"),
      "consent-callback": node.consent(["name", "phone"], "ask-name", "no-consent"),
      "ask-name": node.input("name", "ask-phone", { personal: true }),
      "ask-phone": node.input("phone", "send-crm", { format: "phone" }),
      "send-crm": node.webhook(["name", "phone"], "thanks", germanProcessor),
      thanks: node.message("done", "Danke, {{name}}! Wir rufen Sie zurück."),
      "no-consent": node.message("main", "Kein Problem – ohne Ihre Einwilligung speichern wir nichts."),
      hours: node.message("main", "Montag bis Freitag, 9 bis 17 Uhr."),
      done: node.end(),
    },
  });
}

/** Runs the whole validator on a built flow and returns every problem, or only one rule's. */
export function check(
  flow: FlowBuilder | Flow,
  rule?: RuleId,
  lang: Language = "en",
  channels: readonly MessengerChannel[] = [],
): UnlocatedProblem[] {
  const value = flow instanceof FlowBuilder ? flow.build() : flow;
  const { problems } = checkFlowValue(value, { lang, channels });
  return rule === undefined ? problems : problems.filter((problem) => problem.rule === rule);
}

/** `[rule, node, field]` per problem: the comparison most rule tests need. */
export function problemSummary(
  problems: readonly UnlocatedProblem[],
): [RuleId, string | undefined, string | undefined][] {
  return problems.map((problem) => [problem.rule, problem.node, problem.field]);
}
