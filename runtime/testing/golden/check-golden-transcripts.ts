/**
 * `npm run golden` checks every golden transcript and prints each difference;
 * `npm run golden -- --update` rewrites the recorded output instead, so that a deliberate
 * behaviour change shows up as a diff of the transcripts to review and commit.
 */
import { fileURLToPath } from "node:url";
import { checkGoldenTranscripts, updateGoldenTranscripts } from "./golden-transcripts.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));

if (process.argv.includes("--update")) {
  const { written, problems } = await updateGoldenTranscripts(root);
  for (const file of written) console.log(`wrote ${file}`);
  for (const problem of problems) console.error(problem);
  console.log(written.length === 0 ? "every transcript is up to date" : `${written.length} transcript(s) written: review them with git diff`);
  process.exitCode = problems.length > 0 ? 1 : 0;
} else {
  const reports = await checkGoldenTranscripts(root);
  for (const report of reports) console.error(`${report}\n`);
  console.log(reports.length === 0 ? "every flow behaves as its transcript says" : `${reports.length} difference(s); after a deliberate change run: npm run golden -- --update`);
  process.exitCode = reports.length > 0 ? 1 : 0;
}
