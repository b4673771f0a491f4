import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findFlowFiles } from "../../cli/find-flow-files.ts";
import { checkFlow, checkGoldenTranscripts, flowFolders, readGoldenSet, transcriptFolder, transcriptSuffix, updateGoldenTranscripts } from "./golden-transcripts.ts";
import { parseTranscript, type Transcript } from "./parse-transcript.ts";
import { stringifyTranscript } from "./stringify-transcript.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const golden = await readGoldenSet(root);

function transcriptOf(flowFile: string): Transcript {
  const transcript = golden.transcriptOf.get(flowFile)?.transcript;
  if (!transcript) throw new Error(`${flowFile} has no readable transcript`);
  return transcript;
}

describe("the golden transcripts", () => {
  it("pair every flow file in examples/ and flows/ with exactly one transcript", () => {
    expect(golden.flowFiles.length).toBeGreaterThanOrEqual(7);
    expect(golden.problems).toEqual([]);
  });

  it.each(golden.flowFiles)("%s behaves as its transcript records", async (flowFile) => {
    const { reports } = await checkFlow(root, flowFile, transcriptOf(flowFile));
    if (reports.length > 0) expect.fail(`${reports.join("\n\n")}\n\nAfter a deliberate change run: npm run golden -- --update`);
  });

  it("are written exactly as they read, so an update changes only what the engine changed", async () => {
    for (const { file, transcript } of golden.transcripts) {
      expect(transcript && stringifyTranscript(transcript), file).toBe(await readFile(join(root, file), "utf8"));
    }
  });

  it("lie where neither `botschaft validate <dir>` nor the server's publish-on-start look for flows", async () => {
    for (const folder of flowFolders) {
      const found = await findFlowFiles(join(root, folder));
      expect(found.filter((path) => path.endsWith(transcriptSuffix))).toEqual([]);
    }
    expect(golden.transcripts.map(({ file }) => file.split("/")[0])).not.toContain(expect.stringMatching(/^(examples|flows)$/));
  });
});

describe("the golden transcript harness", () => {
  it("reports a wrong recorded message, naming the flow, the step and what differed", async () => {
    const transcript = transcriptOf("examples/callback-request.yaml");
    const second = transcript.steps[1];
    if (!second?.out) throw new Error("the callback-request transcript has changed shape");
    const wrong = ["Bitte wählen Sie eine Option.", ...(second.out.messages as unknown[]).slice(1)];
    const steps = [...transcript.steps];
    steps[1] = { ...second, out: { ...second.out, messages: wrong } };

    const { reports } = await checkFlow(root, "examples/callback-request.yaml", { ...transcript, steps });

    expect(reports).toEqual([
      [
        "runtime/testing/golden/transcripts/callback-request.transcript.yaml:15: examples/callback-request.yaml, step 2 (text: Pizza), messages (- recorded, + now):",
        "      messages:",
        "    -   - Bitte wählen Sie eine Option.",
        "    +   - Bitte wählen Sie eine der Optionen.",
        "        - choice: Wie kann ich helfen?",
        "          options: [Rückruf anfordern, Öffnungszeiten]",
      ].join("\n"),
    ]);
  });

  it("reports a webhook outcome scripted for a turn that calls no webhook", async () => {
    const transcript = transcriptOf("examples/callback-request.yaml");
    const steps = transcript.steps.slice(0, 1).map((step) => ({ ...step, webhook: { ok: false } as const }));
    const { reports } = await checkFlow(root, "examples/callback-request.yaml", { ...transcript, steps });
    expect(reports).toEqual([
      "runtime/testing/golden/transcripts/callback-request.transcript.yaml:7: examples/callback-request.yaml, step 1 (start: web): scripts a webhook outcome, but the turn called no webhook",
    ]);
  });

  it("refuses an event sent after the conversation was erased: the edges have deleted it", async () => {
    const transcript = parseTranscript("flows: [examples/callback-request.yaml]\nsteps: [{start: web}, {menu: unsubscribe}, {text: Hallo?}]", "inline");
    const { reports } = await checkFlow(root, "examples/callback-request.yaml", transcript);
    expect(reports).toEqual(["inline:2: examples/callback-request.yaml, step 3 (text: Hallo?): no conversation to send the text to; start one first"]);
  });

  it("refuses a step with more than one event, naming the file, the line and the step", () => {
    expect(() => parseTranscript("flows: [examples/a.yaml]\nsteps: [{start: web}, {text: hi, choice: hi}]", "a.transcript.yaml")).toThrow(
      "a.transcript.yaml:2: step 2: a step has exactly one event (start, text, choice, menu, handover-ended, handover-closed, handover-timeout), found 2",
    );
  });
});

describe("updating the golden transcripts", () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("rewrites the recorded output, keeps the events and notes, and starts a transcript for a flow without one", async () => {
    scratch = await mkdtemp(join(tmpdir(), "golden-"));
    for (const folder of [...flowFolders, transcriptFolder]) await mkdir(join(scratch, folder), { recursive: true });
    await cp(join(root, "examples/callback-request.yaml"), join(scratch, "examples/callback-request.yaml"));
    await cp(join(root, "examples/newsletter-signup.yaml"), join(scratch, "flows/newsletter-signup.yaml"));
    const stale = "flows: [examples/callback-request.yaml]\nsteps:\n  - note: The greeting.\n    start: web\n    messages: [Hallo!]\n  - text: '2'\n";
    await writeFile(join(scratch, transcriptFolder, "callback-request.transcript.yaml"), stale);
    expect((await checkGoldenTranscripts(scratch)).map((report) => report.split("\n")[0])).toEqual([
      "flows/newsletter-signup.yaml has no transcript: list it under `flows:` in a runtime/testing/golden/transcripts/*.transcript.yaml",
      "runtime/testing/golden/transcripts/callback-request.transcript.yaml:3: examples/callback-request.yaml, step 1 (start: web), messages (- recorded, + now):",
      "runtime/testing/golden/transcripts/callback-request.transcript.yaml:3: examples/callback-request.yaml, step 1 (start: web), waiting (- recorded, + now):",
      "runtime/testing/golden/transcripts/callback-request.transcript.yaml:3: examples/callback-request.yaml, step 1 (start: web), fields (- recorded, + now):",
      "runtime/testing/golden/transcripts/callback-request.transcript.yaml:6: examples/callback-request.yaml, step 2 (text: 2): has no recorded output yet",
    ]);

    const { written, problems } = await updateGoldenTranscripts(scratch);

    expect(problems).toEqual([]);
    expect(written).toEqual(["runtime/testing/golden/transcripts/callback-request.transcript.yaml", "runtime/testing/golden/transcripts/newsletter-signup.transcript.yaml"]);
    expect(await checkGoldenTranscripts(scratch)).toEqual([]);
    const updated = parseTranscript(await readFile(join(scratch, written[0] as string), "utf8"), "updated");
    expect(updated.steps.map((step) => [step.note, step.event])).toEqual([
      ["The greeting.", { type: "start", channel: "web" }],
      [undefined, { type: "text", text: "2" }],
    ]);
    expect(updated.steps[1]?.out?.messages).toEqual([
      "Montag bis Freitag, 9 bis 17 Uhr.",
      { choice: "Wie kann ich helfen?", options: ["Rückruf anfordern", "Öffnungszeiten"] },
    ]);
  });
});
