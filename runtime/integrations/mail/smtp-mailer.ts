/**
 * E-mail over SMTP with nodemailer (`BOTSCHAFT_SMTP_URL`, `BOTSCHAFT_MAIL_FROM`): invitations,
 * password resets and, later, notifications to the team. Plain text only. TLS trust is Node's,
 * so `NODE_EXTRA_CA_CERTS` works for a private mail server.
 */
import nodemailer from "nodemailer";
import type { Mailer } from "../../app/accounts/mailer.ts";

export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
