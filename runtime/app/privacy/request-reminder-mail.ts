/**
 * The e-mail the data protection officers get before a request's deadline
 * (docs/privacy.md#requests-desk): a week before and on the day, in German and English, with the
 * request's id, its deadline and a link to the requests page — nothing about the person, not
 * even what kind of address they were found by.
 */
import { allows } from "../../core/index.ts";
import type { AccountStore } from "../../stores/ports/accounts.ts";
import type { Mailer } from "../accounts/mailer.ts";
import type { RequestReminder } from "./privacy-desk.ts";

function germanDate(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split("-");
  return `${day}.${month}.${year}`;
}

/** The recipients: active accounts with the `dpo` role; without one, those who may use the desk (administrators). */
export function requestReminderMailer(deps: { accounts: Pick<AccountStore, "list">; mailer: Mailer; requestsUrl: () => string }): (reminder: RequestReminder) => Promise<void> {
  return async (reminder) => {
    const active = (await deps.accounts.list()).filter((account) => account.status === "active");
    const dpos = active.filter((account) => account.roles.includes("dpo"));
    const recipients = dpos.length > 0 ? dpos : active.filter((account) => allows(account.roles, "privacy.use"));
    const link = deps.requestsUrl();
    const de = germanDate(reminder.deadline);
    const en = reminder.deadline.slice(0, 10);
    const due = reminder.kind === "due";
    const subject = due
      ? `Datenschutzanfrage ${reminder.request}: Frist endet heute / Privacy request ${reminder.request}: the deadline is today`
      : `Datenschutzanfrage ${reminder.request}: Frist endet am ${de} / Privacy request ${reminder.request}: deadline ${en}`;
    const text = [
      due
        ? `Die Frist der Datenschutzanfrage ${reminder.request} endet heute (${de}). Bitte beantworten Sie die Anfrage oder verlängern Sie die Frist mit Begründung (Art. 12 Abs. 3 DSGVO).`
        : `Die Frist der Datenschutzanfrage ${reminder.request} endet in einer Woche, am ${de}. Die Anfrage ist noch offen.`,
      `Zu den Anfragen: ${link}`,
      "",
      due
        ? `The deadline of privacy request ${reminder.request} ends today (${en}). Please answer the request or extend the deadline with a reason (Art. 12(3) GDPR).`
        : `The deadline of privacy request ${reminder.request} ends in a week, on ${en}. The request is still open.`,
      `Open the requests: ${link}`,
    ].join("\n");
    for (const account of recipients) await deps.mailer.send({ to: account.email, subject, text });
  };
}
