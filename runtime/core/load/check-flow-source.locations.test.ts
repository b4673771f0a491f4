import { describe, expect, it } from "vitest";
import { checkFlowSource } from "./check-flow-source.ts";

/** A small valid flow file; tests replace one line to break it. */
const validSource = `# yaml-language-server: $schema=../schemas/flow.schema.json
flow: test-flow
title: Testflow
language: de
privacy:
  controller:
    name: Muster GmbH
    address: Musterstraße 1, 10115 Berlin
    email: datenschutz@muster.example
  policyUrl: https://muster.example/datenschutz
  imprintUrl: https://muster.example/impressum
  retention: P90D
menu: [privacy, imprint, my-data, unsubscribe]
start: welcome
nodes:
  welcome:
    type: message
    text: Hallo!
    next: consent-email
  consent-email:
    type: consent
    purpose: Antwort per E-Mail
    covers: [email]
    text: Dürfen wir Ihre E-Mail-Adresse speichern?
    accept: ask-email
    decline: done
  ask-email:
    type: input
    text: Ihre E-Mail-Adresse?
    field: email
    next: thanks
  thanks:
    type: message
    text: Danke, {{email}}!
    next: done
  done:
    type: end
`;

/** Replaces whole lines (one or several, without the final newline), failing when they are not there. */
function replaceLine(source: string, line: string, replacement: string): string {
  expect(source).toContain(`${line}\n`);
  return source.replace(`${line}\n`, `${replacement}\n`);
}

/** The 1-based line of the line that is exactly `line`, and the column where `token` starts in it. */
function positionOf(source: string, line: string, token: string): { line: number; column: number } {
  const lines = source.split("\n");
  const index = lines.indexOf(line);
  expect(index).toBeGreaterThanOrEqual(0);
  expect(line).toContain(token);
  return { line: index + 1, column: line.indexOf(token) + 1 };
}

const options = { fileName: "flows/test-flow.yaml", lang: "en" } as const;

// Unknown keys, wrong node types and unknown `next` targets are located in check-flow-source.test.ts.
describe("checkFlowSource locations of rule problems", () => {
  it("finds no problem in the valid file and returns the flow", () => {
    const result = checkFlowSource(validSource, options);
    expect(result.problems).toEqual([]);
    expect(result.flow?.start).toBe("welcome");
  });

  it("puts a consent-missing problem on the offending node's key line", () => {
    const source = replaceLine(validSource, "    next: consent-email", "    next: ask-email");
    const problems = checkFlowSource(source, options).problems;
    expect(problems.filter((problem) => problem.rule === "consent-missing")).toEqual([
      {
        rule: "consent-missing",
        severity: "error",
        node: "ask-email",
        field: "email",
        path: ["welcome", "ask-email"],
        pointer: "/nodes/ask-email",
        message: expect.stringContaining("welcome → ask-email"),
        ...positionOf(source, "  ask-email:", "ask-email"),
      },
    ]);
  });

  it("puts a third-country problem on the processor's country value", () => {
    const source = replaceLine(
      validSource,
      "    text: Danke, {{email}}!\n    next: done",
      [
        "    text: Danke, {{email}}!",
        "    next: send-crm",
        "  send-crm:",
        "    type: webhook",
        "    url: https://crm.muster.example/api",
        "    sends: [email]",
        "    processor: { name: Leadbox Inc., country: US }",
        "    notices: { url: https://crm.muster.example/gdpr }",
        "    next: done",
      ].join("\n"),
    );
    expect(checkFlowSource(source, options).problems).toEqual([
      {
        rule: "third-country",
        severity: "error",
        node: "send-crm",
        pointer: "/nodes/send-crm/processor/country",
        message: expect.stringContaining("Leadbox Inc. processes data in US"),
        ...positionOf(source, "    processor: { name: Leadbox Inc., country: US }", "US"),
      },
    ]);
  });

  it("sorts problems by line and column", () => {
    const source = replaceLine(
      replaceLine(validSource, "  retention: P90D", "  retention: P3Y"),
      "    next: consent-email",
      "    next: ask-email",
    );
    const positions = checkFlowSource(source, options).problems.map((problem) => [problem.rule, problem.line]);
    expect(positions).toEqual([
      ["retention", positionOf(source, "  retention: P3Y", "P3Y").line],
      ["unreachable", positionOf(source, "  consent-email:", "consent-email").line],
      ["consent-missing", positionOf(source, "  ask-email:", "ask-email").line],
    ]);
  });

  it("puts a problem about a missing key on the parent's key", () => {
    const source = replaceLine(validSource, "  retention: P90D", "  # retention: not yet decided");
    expect(checkFlowSource(source, options).problems).toEqual([
      {
        rule: "retention",
        severity: "error",
        pointer: "/privacy",
        message: "The flow does not say how long answers are kept: set `privacy.retention`, e.g. `P90D`.",
        ...positionOf(source, "privacy:", "privacy"),
      },
    ]);
  });

  it("reports a YAML syntax error as a schema problem where the parser stopped", () => {
    const source = replaceLine(validSource, "title: Testflow", "title: Testflow\n  stray: indent");
    expect(checkFlowSource(source, options)).toEqual({
      problems: [
        {
          rule: "schema",
          severity: "error",
          pointer: "",
          message: "The YAML cannot be read: bad indentation of a mapping entry.",
          ...positionOf(source, "  stray: indent", ":"),
        },
      ],
    });
  });

  it("locates problems the same way in bytes as in text", () => {
    const source = replaceLine(validSource, "    next: consent-email", "    next: ask-email");
    expect(checkFlowSource(new TextEncoder().encode(source), options)).toEqual(checkFlowSource(source, options));
  });
});
