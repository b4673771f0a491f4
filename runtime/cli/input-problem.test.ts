import { describe, expect, it } from "vitest";
import { fileSystemIssue, type InputIssue, inputProblem } from "./input-problem.ts";

const issues: InputIssue[] = [
  { kind: "not-found" },
  { kind: "no-flow-files" },
  { kind: "not-a-file" },
  { kind: "too-large", bytes: 50 * 2 ** 20, limit: 32 * 2 ** 20 },
  { kind: "too-large", limit: 32 * 2 ** 20 },
  { kind: "unreadable", reason: "EACCES" },
  { kind: "internal-error", reason: "RangeError: Maximum call stack size exceeded" },
];

describe("inputProblem", () => {
  it.each(issues)("locates $kind at 1:1 as a schema error", (issue) => {
    expect(inputProblem(issue, "en")).toMatchObject({
      rule: "schema",
      severity: "error",
      pointer: "",
      line: 1,
      column: 1,
    });
  });

  it.each(issues)("has a German and a different English message for $kind", (issue) => {
    const german = inputProblem(issue, "de").message;
    const english = inputProblem(issue, "en").message;
    expect(german).not.toBe("");
    expect(english).not.toBe("");
    expect(german).not.toBe(english);
  });

  it("gives sizes in MiB with the language's decimal separator, rounded up", () => {
    const issue: InputIssue = { kind: "too-large", bytes: 33.01 * 2 ** 20, limit: 32 * 2 ** 20 };
    expect(inputProblem(issue, "en").message).toBe("The file is 33.1 MiB; flows may be at most 32 MiB.");
    expect(inputProblem(issue, "de").message).toBe(
      "Die Datei ist 33,1 MiB groß; Flows dürfen höchstens 32 MiB groß sein.",
    );
  });
});

describe("fileSystemIssue", () => {
  function errnoError(code: string): Error {
    return Object.assign(new Error(`${code}: something, open 'x'`), { code });
  }

  it("reads ENOENT as not found", () => {
    expect(fileSystemIssue(errnoError("ENOENT"))).toEqual({ kind: "not-found" });
  });

  it("gives other failures' error code as the reason", () => {
    expect(fileSystemIssue(errnoError("EACCES"))).toEqual({ kind: "unreadable", reason: "EACCES" });
  });

  it("falls back to the message of an error without a code", () => {
    expect(fileSystemIssue(new Error("disk on fire"))).toEqual({ kind: "unreadable", reason: "disk on fire" });
  });
});
