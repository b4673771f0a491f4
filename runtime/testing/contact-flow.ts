/**
 * A small German contact flow for the privacy tests (erasure, the requests desk, the DPO's
 * pages): one consent covering name, phone and e-mail, then the three inputs. `thanks` is the
 * last message's text; the erasure tests echo the personal values in it on purpose.
 */
export function contactFlow(thanks = "Danke, {{name}}!"): string {
  return `flow: contact
title: Kontakt
language: de
privacy:
  controller: { name: Muster GmbH, address: "Musterstraße 1, 10115 Berlin", email: datenschutz@muster.example }
  policyUrl: https://muster.example/datenschutz
  imprintUrl: https://muster.example/impressum
  retention: P90D
menu: [privacy, imprint, my-data, unsubscribe]
start: consent
nodes:
  consent:
    type: consent
    purpose: Rückruf zu Ihrem Anliegen
    covers: [name, phone, email]
    text: Dürfen wir Namen, Telefonnummer und E-Mail-Adresse speichern?
    accept: ask-name
    decline: done
  ask-name: { type: input, text: Wie heißen Sie?, field: name, personal: true, next: ask-phone }
  ask-phone: { type: input, text: Ihre Telefonnummer?, field: phone, format: phone, next: ask-email }
  ask-email: { type: input, text: Ihre E-Mail-Adresse?, field: email, format: email, next: thanks }
  thanks: { type: message, text: "${thanks}", next: done }
  done: { type: end }
`;
}
