/** The port for e-mail the team gets (invitations, password resets, notifications); SMTP in `runtime/integrations/mail`. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
