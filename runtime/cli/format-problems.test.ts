import { describe, expect, it } from "vitest";
import { buildProblem, buildReport } from "./build-report.ts";
import {
  escapeGithubData,
  escapeGithubProperty,
  formatGithub,
  formatJson,
  formatProblems,
  formatText,
} from "./format-problems.ts";

const reports = [
  buildReport("flows/a.yaml", [
    buildProblem(),
    buildProblem({
      rule: "unreachable",
      severity: "warning",
      node: "hours",
      message: "Nothing leads here.",
      line: 30,
      column: 3,
    }),
  ]),
  buildReport("flows/b.yaml"),
];

describe("formatText", () => {
  it("prints one file:line:column: severity rule: message line per problem", () => {
    expect(formatText(reports)).toBe(
      "flows/a.yaml:12:11: error ref-unknown: There is no node 'mian'.\n" +
        "flows/a.yaml:30:3: warning unreachable: Nothing leads here.\n",
    );
  });

  it("prints nothing when there are no problems", () => {
    expect(formatText([buildReport("flows/b.yaml")])).toBe("");
  });

  it("keeps a multi-line message on one line and shows control characters instead of sending them", () => {
    const report = buildReport("flows/\u001b[31mred.yaml", [
      buildProblem({ message: "first\nsecond\r\nthird \u001b]0;title\u0007" }),
    ]);
    expect(formatText([report])).toBe(
      "flows/\\u{1b}[31mred.yaml:12:11: error ref-unknown: first second third \\u{1b}]0;title\\u{7}\n",
    );
  });
});

describe("formatJson", () => {
  it("prints the documented shape (docs/ci.md#output) with ok false exactly when a file has an error", () => {
    expect(JSON.parse(formatJson(reports))).toEqual([
      {
        file: "flows/a.yaml",
        ok: false,
        problems: [
          {
            rule: "ref-unknown",
            severity: "error",
            node: "welcome",
            pointer: "/nodes/welcome/next",
            message: "There is no node 'mian'.",
            line: 12,
            column: 11,
          },
          {
            rule: "unreachable",
            severity: "warning",
            node: "hours",
            pointer: "/nodes/welcome/next",
            message: "Nothing leads here.",
            line: 30,
            column: 3,
          },
        ],
      },
      { file: "flows/b.yaml", ok: true, problems: [] },
    ]);
  });

  it("counts a file with only warnings as ok", () => {
    const warningOnly = buildReport("flows/c.yaml", [buildProblem({ severity: "warning", rule: "unused-personal" })]);
    expect(JSON.parse(formatJson([warningOnly]))).toMatchObject([{ file: "flows/c.yaml", ok: true }]);
  });

  it("keeps consent-missing's field and path", () => {
    const problem = buildProblem({
      rule: "consent-missing",
      node: "ask-name",
      field: "name",
      path: ["welcome", "ask-name"],
    });
    const [entry] = JSON.parse(formatJson([buildReport("flows/a.yaml", [problem])]));
    expect(entry.problems[0]).toMatchObject({ field: "name", path: ["welcome", "ask-name"] });
  });

  it("prints an empty array for no reports", () => {
    expect(formatJson([])).toBe("[]\n");
  });
});

describe("GitHub workflow command escaping", () => {
  it("escapes %, CR and LF in data", () => {
    expect(escapeGithubData("100% sure\r\nnext: a,b")).toBe("100%25 sure%0D%0Anext: a,b");
  });

  it("also escapes : and , in properties, which would end the value", () => {
    expect(escapeGithubProperty("C:\\flows\\a,b%.yaml\n")).toBe("C%3A\\flows\\a%2Cb%25.yaml%0A");
  });
});

describe("formatGithub", () => {
  it("prints one ::error or ::warning command per problem", () => {
    expect(formatGithub(reports)).toBe(
      "::error file=flows/a.yaml,line=12,col=11,title=ref-unknown::There is no node 'mian'.\n" +
        "::warning file=flows/a.yaml,line=30,col=3,title=unreachable::Nothing leads here.\n",
    );
  });

  it("escapes the file property and the message", () => {
    const report = buildReport("flows/a,b:c.yaml", [buildProblem({ message: "50% done:\nnext" })]);
    expect(formatGithub([report])).toBe(
      "::error file=flows/a%2Cb%3Ac.yaml,line=12,col=11,title=ref-unknown::50%25 done: next\n",
    );
  });
});

describe("formatProblems", () => {
  it("picks the formatter by name", () => {
    expect(formatProblems(reports, "text")).toBe(formatText(reports));
    expect(formatProblems(reports, "json")).toBe(formatJson(reports));
    expect(formatProblems(reports, "github")).toBe(formatGithub(reports));
  });
});
