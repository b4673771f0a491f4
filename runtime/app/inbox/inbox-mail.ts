/**
 * The e-mail agents get when a live chat waits longer than configured (docs/inbox.md#notifications):
 * to every active account that may use the inbox, in German and English, with the flow, the
 * channel, how long it waits and a link to the inbox — nothing the visitor wrote or shared.
 */
import { allows } from "../../core/index.ts";
import type { AccountStore } from "../../stores/ports/accounts.ts";
import type { Mailer } from "../accounts/mailer.ts";
import type { InboxSummary } from "./inbox-service.ts";

export function inboxMailNotifier(deps: { accounts: Pick<AccountStore, "list">; mailer: Mailer; inboxUrl: () => string; clock: () => Date }): (waiting: InboxSummary) => Promise<void> {
  return async (waiting) => {
    const minutes = Math.max(1, Math.round((deps.clock().getTime() - Date.parse(waiting.waitingSince)) / 60_000));
    const link = deps.inboxUrl();
    const text = [
      `Im Live-Chat wartet seit ${minutes} Minuten ein Gespräch, das noch niemand übernommen hat (Flow „${waiting.flow}“, Kanal ${waiting.channel}).`,
      `Zum Posteingang: ${link}`,
      "",
      `A live chat has been waiting for ${minutes} minutes without anyone taking it (flow "${waiting.flow}", channel ${waiting.channel}).`,
      `Open the inbox: ${link}`,
    ].join("\n");
    const recipients = (await deps.accounts.list()).filter((account) => account.status === "active" && allows(account.roles, "inbox.use"));
    for (const account of recipients) {
      await deps.mailer.send({ to: account.email, subject: `Live-Chat: Jemand wartet seit ${minutes} Minuten / Someone has been waiting for ${minutes} minutes`, text });
    }
  };
}
