/**
 * The golden transcript harness (docs/architecture.md#golden-transcripts): pairs every flow file
 * of `examples/` and `flows/` with the transcript that covers it, plays the transcript's events
 * on the engine and reports every difference. `npm test` checks; `npm run golden -- --update`
 * rewrites the recorded output.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { checkFlowSource, flowIdFromFileName, isKnowledgeBaseFileName, prepareFlow } from "../../core/index.ts";
import { knowledgeBasesBeside } from "../../cli/check-flow-file.ts";
import { findFlowFiles } from "../../cli/find-flow-files.ts";
import { diffTranscript, stepTitle } from "./diff-transcript.ts";
import { parseTranscript, type Transcript, type TranscriptStep } from "./parse-transcript.ts";
import { type PlayedStep, playTranscript, UnplayableStep } from "./play-transcript.ts";
import { stringifyTranscript } from "./stringify-transcript.ts";

/** The folders whose flow files need a transcript: those `botschaft validate` and the server read. */
export const flowFolders = ["examples", "flows"] as const;

/**
 * Transcripts live in their own folder, not beside the flows: `botschaft validate <dir>` and the
 * server's publish-on-start take every `*.yaml` there for a flow.
 */
export const transcriptFolder = "runtime/testing/golden/transcripts";
export const transcriptSuffix = ".transcript.yaml";

export interface TranscriptFile {
  /** Repository-relative path. */
  file: string;
  transcript?: Transcript;
  /** Why the file could not be read as a transcript. */
  error?: string;
}

export interface GoldenSet {
  /** Repository-relative paths of every flow file in the flow folders. */
  flowFiles: string[];
  transcripts: TranscriptFile[];
  /** Each flow file's transcript. */
  transcriptOf: Map<string, TranscriptFile>;
  /** Flow files covered by no transcript or by several, transcripts naming no flow file, unreadable transcripts. */
  problems: string[];
}

const slashed = (path: string) => path.split("\\").join("/");

async function listFlowFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of flowFolders) {
    // Knowledge bases (`*.faq.yaml`) sit beside the flows; their flows' transcripts walk them.
    for (const path of await findFlowFiles(join(root, folder))) if (!isKnowledgeBaseFileName(path)) files.push(slashed(relative(root, path)));
  }
  return files;
}

async function readTranscripts(root: string): Promise<TranscriptFile[]> {
  const all = await readdir(join(root, transcriptFolder)).catch(() => [] as string[]);
  const names = all.filter((name) => name.endsWith(transcriptSuffix)).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = `${transcriptFolder}/${name}`;
      try {
        return { file, transcript: parseTranscript(await readFile(join(root, file), "utf8"), file) };
      } catch (error) {
        return { file, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

export async function readGoldenSet(root: string): Promise<GoldenSet> {
  const flowFiles = await listFlowFiles(root);
  const transcripts = await readTranscripts(root);
  const problems = transcripts.flatMap((entry) => (entry.error ? [entry.error] : []));
  const coveredBy = new Map<string, TranscriptFile[]>();
  for (const entry of transcripts) {
    for (const flow of entry.transcript?.flows ?? []) {
      if (!flowFiles.includes(flow)) problems.push(`${entry.file} covers ${flow}, which is no flow file in ${flowFolders.join("/ or ")}/`);
      coveredBy.set(flow, [...(coveredBy.get(flow) ?? []), entry]);
    }
  }
  const transcriptOf = new Map<string, TranscriptFile>();
  for (const flow of flowFiles) {
    const covering = coveredBy.get(flow) ?? [];
    if (covering.length === 0) problems.push(`${flow} has no transcript: list it under \`flows:\` in a ${transcriptFolder}/*${transcriptSuffix}`);
    if (covering.length > 1) problems.push(`${flow} is covered by several transcripts: ${covering.map((entry) => entry.file).join(", ")}`);
    if (covering[0]) transcriptOf.set(flow, covering[0]);
  }
  return { flowFiles, transcripts, transcriptOf, problems };
}

export interface FlowCheck {
  /** One report per difference, each naming the flow file and the step. */
  reports: string[];
  /** What the engine did at each step; absent when the flow or the steps could not be played. */
  played?: PlayedStep[];
}

/** Plays a transcript on one flow file and reports how the engine's output differs from the recorded one. */
export async function checkFlow(root: string, flowFile: string, transcript: Transcript): Promise<FlowCheck> {
  // The knowledge bases beside the flow are published with it, as the server does.
  const knowledgeBaseSources = await knowledgeBasesBeside(join(root, flowFile));
  const { flow, problems, knowledgeBases } = checkFlowSource(await readFile(join(root, flowFile)), { fileName: basename(flowFile), knowledgeBaseSources });
  // Rule errors do not stop the engine (the editor's preview runs such flows too); only a flow that is not schema-valid cannot run.
  if (!flow) return { reports: [`${transcript.file}: ${flowFile} does not load: ${problems.map((problem) => problem.message).join("; ")}`] };
  try {
    const played = await playTranscript(prepareFlow(flow, "golden", knowledgeBases), transcript.steps);
    return { reports: diffTranscript(transcript, flowFile, played), played };
  } catch (error) {
    if (!(error instanceof UnplayableStep)) throw error;
    return { reports: [`${stepTitle(transcript, flowFile, error.index)}: ${error.message}`] };
  }
}

/** Every problem of the whole set: pairing, loading, playing and each difference. */
export async function checkGoldenTranscripts(root: string): Promise<string[]> {
  const set = await readGoldenSet(root);
  const reports = [...set.problems];
  for (const [flowFile, entry] of set.transcriptOf) {
    if (entry.transcript) reports.push(...(await checkFlow(root, flowFile, entry.transcript)).reports);
  }
  return reports;
}

/** The same steps with the output the engine gave; every flow the transcript covers must give the same. */
async function rerecord(root: string, flowFiles: readonly string[], transcript: Transcript): Promise<{ transcript?: Transcript; problems: string[] }> {
  const checks = await Promise.all(flowFiles.map((flowFile) => checkFlow(root, flowFile, transcript)));
  const failed = checks.flatMap((check) => (check.played ? [] : check.reports));
  const [first, ...others] = checks.map((check) => check.played ?? []);
  if (failed.length > 0 || !first) return { problems: failed };
  const differing = others.findIndex((played) => played.some((step, index) => JSON.stringify(step.out) !== JSON.stringify(first[index]?.out)));
  if (differing >= 0) {
    return { problems: [`${flowFiles[0]} and ${flowFiles[differing + 1]} share a transcript but behave differently: give each its own`] };
  }
  const steps = transcript.steps.map((step, index): TranscriptStep => ({ ...step, out: first[index]?.out ?? {} }));
  return { transcript: { ...transcript, steps }, problems: [] };
}

/**
 * Rewrites each transcript's recorded output with what the engine does now, keeping its events
 * and notes, and gives a flow file with no transcript a new one that only starts a conversation.
 * Returns the files it wrote and what it could not fix.
 */
export async function updateGoldenTranscripts(root: string): Promise<{ written: string[]; problems: string[] }> {
  const set = await readGoldenSet(root);
  const problems: string[] = [];
  const written: string[] = [];
  const write = async (file: string, transcript: Transcript) => {
    const text = stringifyTranscript(transcript);
    const before = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (text === before) return;
    await mkdir(join(root, transcriptFolder), { recursive: true });
    await writeFile(join(root, file), text);
    written.push(file);
  };
  for (const entry of set.transcripts) {
    if (!entry.transcript) continue;
    const flowFiles = entry.transcript.flows.filter((flow) => set.flowFiles.includes(flow));
    const result = await rerecord(root, flowFiles, entry.transcript);
    problems.push(...result.problems);
    if (result.transcript) await write(entry.file, result.transcript);
  }
  const taken = new Set(set.transcripts.map((entry) => entry.file));
  for (const flowFile of set.flowFiles.filter((flow) => !set.transcriptOf.has(flow))) {
    const id = flowIdFromFileName(flowFile);
    // `flows/x.yaml` may differ from `examples/x.yaml`; the second gets its folder in the name.
    const names = [`${id}${transcriptSuffix}`, `${flowFile.split("/")[0]}-${id}${transcriptSuffix}`];
    const file = names.map((name) => `${transcriptFolder}/${name}`).find((name) => !taken.has(name));
    if (!file) {
      problems.push(`${flowFile} has no transcript, and the names for a new one are taken`);
      continue;
    }
    taken.add(file);
    const result = await rerecord(root, [flowFile], { file, flows: [flowFile], steps: [{ line: 1, event: { type: "start", channel: "web" } }] });
    problems.push(...result.problems);
    if (result.transcript) await write(file, result.transcript);
  }
  // What writing cannot fix: unreadable transcripts, and transcripts naming no flow or the same one.
  problems.push(...(await readGoldenSet(root)).problems);
  return { written, problems };
}
