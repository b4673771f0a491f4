import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createTestRuntime, referenceFlow } from "../../testing/create-test-runtime.ts";
import { publishFlowDirectory } from "./publish-flow-directory.ts";

describe("publishFlowDirectory", () => {
  it("publishes the regular flow files and skips a symbolic link, saying so in the log", async () => {
    const runtime = await createTestRuntime({ flows: [], logLevel: "silent" });
    try {
      const directory = mkdtempSync(join(tmpdir(), "botschaft-publish-"));
      const outside = join(mkdtempSync(join(tmpdir(), "botschaft-outside-")), "linked.yaml");
      writeFileSync(outside, referenceFlow.replace("flow: callback-request", "flow: linked"));
      symlinkSync(outside, join(directory, "linked.yaml"));
      writeFileSync(join(directory, "callback-request.yaml"), referenceFlow);
      const lines: string[] = [];
      const logger = pino({ level: "trace" }, { write: (line: string) => void lines.push(line) });
      expect(await publishFlowDirectory(runtime.publishing, directory, logger)).toEqual(["callback-request"]);
      expect((await runtime.catalog.list()).map((entry) => entry.flow)).toEqual(["callback-request"]);
      const skipped = lines.map((line) => JSON.parse(line)).find((entry) => entry.file === "linked.yaml");
      expect(skipped).toMatchObject({ level: 40, msg: "flow not published: it is a symbolic link or not a regular file" });
    } finally {
      await runtime.close();
    }
  });
});
