import { describe, expect, it } from "vitest";
import { generateFlowYaml } from "../../core/bench/generate-flow.ts";
import { checkFlowSource, prepareFlow } from "../../core/index.ts";
import { referenceFlow } from "../../testing/create-test-runtime.ts";
import { OffThreadFlowCheck } from "./off-thread-flow-check.ts";

describe("OffThreadFlowCheck", () => {
  it("checks a large flow on the worker with the same result as in place, and prepares it for the engine", async () => {
    const checker = new OffThreadFlowCheck(1);
    try {
      const yaml = generateFlowYaml(600);
      const fileName = `${/^flow: (\S+)$/m.exec(yaml)?.[1]}.yaml`;
      const { runnable, ...result } = await checker.check(yaml, { fileName, lang: "de" }, "sha256:v1");
      expect(result).toEqual(checkFlowSource(yaml, { fileName, lang: "de" }));
      expect(runnable).toEqual(prepareFlow(result.flow as NonNullable<typeof result.flow>, "sha256:v1"));
      // A flow with errors comes back with its problems and unprepared; the worker serves one check after another.
      const broken = await checker.check(referenceFlow, { fileName: "other-name.yaml" }, "sha256:v2");
      expect(broken.runnable).toBeUndefined();
      expect(broken.problems.map((problem) => problem.rule)).toEqual(["schema"]);
    } finally {
      await checker.close();
    }
  }, 30_000);

  it("checks a small flow in place, without a worker", async () => {
    const checker = new OffThreadFlowCheck();
    const result = await checker.check(referenceFlow, { fileName: "callback-request.yaml" }, "sha256:v1");
    expect(result).toEqual(checkFlowSource(referenceFlow, { fileName: "callback-request.yaml" }));
    expect(result.runnable).toBeUndefined();
    await checker.close();
  });
});
