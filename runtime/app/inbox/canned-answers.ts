/**
 * Canned answers per flow (docs/inbox.md#canned-answers): short texts editors keep for the agents,
 * which the inbox offers to insert into a reply. Stored as a runtime setting per flow; every
 * change is in the audit trail.
 */
import type { SettingsStore } from "../../stores/ports/settings.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import { maxReplyLength } from "./inbox-service.ts";

export interface CannedAnswer {
  title: string;
  text: string;
}

const maxAnswers = 50;
const maxTitle = 80;

function checked(value: unknown): CannedAnswer[] {
  const answers = (typeof value === "object" && value !== null ? (value as { answers?: unknown }).answers : undefined) ?? value;
  if (!Array.isArray(answers)) throw new AppError("bad-request", 'Send `{ "answers": [ { "title", "text" } ] }`.');
  if (answers.length > maxAnswers) throw new AppError("bad-request", `A flow may have at most ${maxAnswers} canned answers.`);
  return answers.map((answer, index) => {
    const { title, text } = (typeof answer === "object" && answer !== null ? answer : {}) as Record<string, unknown>;
    if (typeof title !== "string" || title.trim() === "" || title.length > maxTitle) throw new AppError("bad-request", `Canned answer ${index + 1}: the title needs 1 to ${maxTitle} characters.`);
    if (typeof text !== "string" || text.trim() === "" || text.length > maxReplyLength) throw new AppError("bad-request", `Canned answer ${index + 1}: the text needs 1 to ${maxReplyLength} characters.`);
    return { title: title.trim(), text };
  });
}

export class CannedAnswers {
  constructor(
    private readonly settings: SettingsStore,
    private readonly audit: AuditTrail,
  ) {}

  async list(flow: string): Promise<CannedAnswer[]> {
    const stored = await this.settings.get(`canned-answers:${flow}`);
    return stored === undefined ? [] : (JSON.parse(stored) as CannedAnswer[]);
  }

  async save(flow: string, value: unknown, actor: AuditActor): Promise<CannedAnswer[]> {
    const answers = checked(value);
    await this.settings.put(`canned-answers:${flow}`, JSON.stringify(answers));
    await this.audit.record(actor, { action: "canned-answers.save", target: flow, details: { count: answers.length } });
    return answers;
  }
}
