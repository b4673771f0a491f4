/**
 * Entry point of the `botschaft` command (docs/ci.md#the-validate-command), loaded by `bin/botschaft.js`. The only
 * module that touches `process`: it reads the arguments and `LANG` once and sets the exit code.
 *
 * The server's commands are imported when they run, not up front: `validate` and `privacy-text`
 * load the core and the CLI only, never Express, pg, the channels or the editor's code — that
 * keeps a pre-commit hook fast, and it lets the flow-validation package (`npm run pack:cli`,
 * docs/ci.md#installing-the-validator) leave the server out.
 */
import process from "node:process";
import { defaultLanguage } from "./default-language.ts";
import { runCli } from "./run-cli.ts";

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // `botschaft validate flows | head` closes the pipe early. Not worth a stack trace; the checks
  // go on so the exit status still says whether any file has an error.
  if (error.code === "EPIPE") return;
  process.stderr.write(`botschaft: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

const io = { stdout: (text: string) => void process.stdout.write(text), stderr: (text: string) => void process.stderr.write(text) };

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    defaultLang: defaultLanguage(process.env.LANG),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    serve: async () => {
      // Stack traces of the compiled server point into the TypeScript sources.
      process.setSourceMapsEnabled(true);
      return (await import("../server/main.ts")).serve(process.env, io);
    },
    purge: async () => (await import("../server/main.ts")).purge(process.env, io),
    setupChannel: async (channel) => (await import("./setup-channel.ts")).setupChannel(process.env, io, channel),
    users: async (command) => (await import("./users-command.ts")).usersCommand(process.env, io, command),
    erasures: async (command) => (await import("../server/main.ts")).erasures(process.env, io, command),
    ledger: async (command) => (await import("../server/main.ts")).ledgerCommand(process.env, io, command),
  });
} catch (error) {
  // runCli turns bad input into problems; reaching this is a bug, reported without a stack trace.
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`botschaft: internal error, a bug in Botschaft; please report it: ${reason}\n`);
  process.exitCode = 1;
}
