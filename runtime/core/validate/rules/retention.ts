import { durationInDays, maxRetentionDays, parseIsoDuration } from "../../dsl/duration.ts";
import { message } from "../messages.ts";
import type { Rule } from "./rule.ts";

/** docs/privacy.md#retention: a declared ISO 8601 retention of at most two years. */
export const retention: Rule = ({ flow, lang }) => {
  const value = flow.privacy.retention;
  const problem = (text: string, pointer: string) => [{ rule: "retention" as const, severity: "error" as const, pointer, message: text }];
  if (value === undefined) return problem(message("retention-missing", undefined, lang), "/privacy");
  const duration = parseIsoDuration(value);
  if (!duration) return problem(message("retention-invalid", { value }, lang), "/privacy/retention");
  const days = durationInDays(duration);
  if (days > maxRetentionDays) return problem(message("retention-too-long", { value }, lang), "/privacy/retention");
  if (days === 0) return problem(message("retention-zero", { value }, lang), "/privacy/retention");
  return [];
};
