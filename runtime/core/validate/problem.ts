/**
 * A flow problem: what rule, how bad, where (node, JSON pointer, YAML line and column) and a
 * plain-language message. The shape of `--json` output and of the publish endpoint's 422 body.
 */
export type Severity = "error" | "warning";

/**
 * The rule ids of docs/rules.md, plus `channel-limits`: a warning for messenger limits (issue 6),
 * and the knowledge-base rules (`faq-*`, docs/rules.md#knowledge-bases).
 */
export const ruleSeverities = {
  schema: "error",
  "ref-unknown": "error",
  "consent-missing": "error",
  "menu-required": "error",
  retention: "error",
  "privacy-urls": "error",
  "processor-missing": "error",
  "third-country": "error",
  "webhook-address": "error",
  "integration-setup": "error",
  unreachable: "warning",
  "unused-personal": "warning",
  "channel-limits": "warning",
  "handover-fallback": "warning",
  "opening-hours": "warning",
  "messenger-recipient": "warning",
  "notices-missing": "warning",
  "durable-delivery": "warning",
  "faq-id": "error",
  "faq-reference": "error",
  "faq-duplicate": "warning",
} as const satisfies Record<string, Severity>;

export type RuleId = keyof typeof ruleSeverities;

export type Language = "de" | "en";

export interface Problem {
  rule: RuleId;
  severity: Severity;
  /** The node the problem is about, when there is one. */
  node?: string;
  /** The personal field concerned (consent-missing, unused-personal). */
  field?: string;
  /** consent-missing: node ids from an entry point to the offending node. */
  path?: string[];
  /** JSON pointer (RFC 6901) to the offending value in the flow document. */
  pointer: string;
  message: string;
  /** 1-based line and column of the offending value in the YAML source (1:1 when unknown). */
  line: number;
  column: number;
}

/** A problem before it has been located in a source text. */
export type UnlocatedProblem = Omit<Problem, "line" | "column"> & {
  /** Locate the key of `pointer` rather than its value (e.g. an unknown property's name). */
  atKey?: boolean;
};

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === "error");
}
