/**
 * E-mail over SMTP with nodemailer (`BOTSCHAFT_SMTP_URL`, `BOTSCHAFT_MAIL_FROM`): invitations,
 * password resets and, later, notifications to the team. Plain text only. TLS trust is Node's,
 * so `NODE_EXTRA_CA_CERTS` works for a private mail server.
 */
import nodemailer from "nodemailer";
import type { Mailer } from "../../app/accounts/mailer.ts";
import type { PresetMail } from "../presets/send-integrations.ts";

export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}

/**
 * The `email` integration preset's mails (docs/deliveries.md#integrations): to the team's
 * addresses, Reply-To the visitor when the step says so. Rejects with nodemailer's error, whose
 * `responseCode` tells a final SMTP refusal (5xx) from a passing one.
 */
export function smtpPresetMailer(url: string, from: string): { send(mail: PresetMail): Promise<void>; close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: [...mail.to], subject: mail.subject, text: mail.text, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) });
    },
    close: () => transport.close(),
  };
}
