/**
 * The `botschaft` command as a function of its arguments: everything but reading the process's
 * arguments and environment, which `main.ts` does once. Tests run it in memory.
 */
import packageJson from "../../package.json" with { type: "json" };
import { checkFlowFile } from "./check-flow-file.ts";
import { askCommand, faqEvalCommand } from "./faq-commands.ts";
import { type CollectedPath, collectFlowFiles } from "./collect-flow-files.ts";
import { type CheckSourceOptions, hasErrors, isKnowledgeBaseFileName, type Language, privacyPolicyText, processingRecordText } from "../core/index.ts";
import { type ExitCode, exitCode, exitCodeFor } from "./exit-code.ts";
import type { FileReport } from "./file-report.ts";
import { formatFlowList } from "./format-flow-list.ts";
import { formatProblems, formatText } from "./format-problems.ts";
import { formatSummary } from "./format-summary.ts";
import { helpText } from "./help-text.ts";
import { parseCliArgs } from "./parse-cli-args.ts";
import type { UserCommand } from "../server/user-admin.ts";
import type { ErasuresCommand, LedgerCommand } from "../server/main.ts";

export interface CliContext {
  /** The message language when `--lang` is absent, from the environment. */
  defaultLang: Language;
  /** Runs the server until it is stopped (`serve`). */
  serve: () => Promise<ExitCode>;
  /** Sweeps expired conversations once (`purge`). */
  purge: () => Promise<ExitCode>;
  /** Team accounts from the command line (`users add|list|disable|reset`). */
  users: (command: UserCommand) => Promise<ExitCode>;
  /** The erasure log: print it, or re-apply one to a restored backup (`erasures export|apply`). */
  erasures: (command: ErasuresCommand) => Promise<ExitCode>;
  /** The proof ledger: check its chain (`ledger verify`). */
  ledger: (command: LedgerCommand) => Promise<ExitCode>;
  /** Registers a messenger channel's webhook and menus (`channels setup <channel>`). */
  setupChannel: (channel: string) => Promise<ExitCode>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Files one after another: each may take up to `maxFlowBytes` of memory while it is checked. */
async function checkCollected(collected: readonly CollectedPath[], lang: Language, options: Pick<CheckSourceOptions, "channels" | "webhookAllowHosts"> = {}): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const { path, problem } of collected) {
    reports.push(problem ? { file: path, problems: [problem] } : await checkFlowFile(path, lang, options));
  }
  return reports;
}

/** The flows among collected files: knowledge bases (`*.faq.yaml`) are no flows to list or describe. */
function onlyFlows(collected: CollectedPath[]): CollectedPath[] {
  return collected.filter((entry) => entry.problem || !isKnowledgeBaseFileName(entry.path));
}

export async function runCli(args: readonly string[], context: CliContext): Promise<ExitCode> {
  const command = parseCliArgs(args, context.defaultLang);
  switch (command.command) {
    case "usage-error":
      context.stderr(`botschaft: ${command.message}\nRun 'botschaft --help' for usage.\n`);
      return exitCode.usage;
    case "help":
      context.stdout(helpText);
      return exitCode.ok;
    case "version":
      context.stdout(`${packageJson.version}\n`);
      return exitCode.ok;
    case "serve":
      return context.serve();
    case "purge":
      return context.purge();
    case "channels-setup":
      return context.setupChannel(command.channel);
    case "users":
      return context.users(command.user);
    case "erasures":
      return context.erasures(command.erasures);
    case "ledger":
      return context.ledger(command.ledger);
    case "ask":
      return askCommand(command.knowledgeBase, command.question, command.lang, context);
    case "faq-eval":
      return faqEvalCommand(command.knowledgeBase, command.csv, command.lang, context);
    case "validate": {
      const reports = await checkCollected(await collectFlowFiles(command.paths, command.lang), command.lang, { channels: command.channels, webhookAllowHosts: command.webhookAllowHosts });
      context.stdout(formatProblems(reports, command.format));
      // JSON consumers read stdout only; people and CI logs get the summary.
      if (command.format !== "json") context.stderr(formatSummary(reports));
      return exitCodeFor(reports);
    }
    case "privacy-text": {
      // Texts are generated only from flows that pass validation: a refused flow never runs.
      const reports = await checkCollected(onlyFlows(await collectFlowFiles(command.paths, command.lang)), command.lang);
      const failed = reports.filter((report) => !report.flow || hasErrors(report.problems));
      if (failed.length > 0) {
        context.stderr(formatText(failed));
        return exitCode.errors;
      }
      const flows = reports.flatMap((report) => (report.flow ? [report.flow] : []));
      const options = { lang: command.lang, region: command.region };
      context.stdout(command.record ? processingRecordText(flows, options) : privacyPolicyText(flows, options));
      return exitCode.ok;
    }
    case "list": {
      const collected = onlyFlows(await collectFlowFiles([command.directory], command.lang));
      const pathProblems = collected.filter((entry) => entry.problem);
      if (pathProblems.length > 0) {
        const reports = await checkCollected(pathProblems, command.lang);
        context.stderr(formatText(reports));
        return exitCodeFor(reports);
      }
      const reports = await checkCollected(collected, command.lang);
      context.stdout(formatFlowList(reports, command.directory));
      return exitCodeFor(reports);
    }
  }
}
