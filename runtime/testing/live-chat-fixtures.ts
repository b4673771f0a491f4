/** A small German flow that hands over at once (no opening hours), for the live-chat tests and the inbox benchmark. */
export const helpdeskFlow = `flow: helpdesk
title: Helpdesk
language: de
privacy:
  controller: { name: Muster GmbH, address: "Musterstraße 1, 10115 Berlin", email: datenschutz@muster.example }
  policyUrl: https://muster.example/datenschutz
  imprintUrl: https://muster.example/impressum
  retention: P30D
menu: [privacy, imprint, my-data, unsubscribe]
start: topic
nodes:
  topic:
    type: choice
    text: Worum geht es?
    field: thema
    options:
      - { label: Rechnung, value: rechnung, next: human }
  human:
    type: handover
    text: Ich verbinde Sie mit unserem Team.
    shares: [thema]
    noAgent: closed
    next: back
  closed:
    type: end
    text: Gerade ist niemand da.
  back:
    type: choice
    text: Wieder beim Bot. Noch etwas?
    options:
      - { label: Nein, value: nein, next: done }
  done:
    type: end
    text: Tschüss!
`;
