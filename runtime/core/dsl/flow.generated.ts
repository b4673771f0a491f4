/* eslint-disable */
// GENERATED FILE — do not edit. Source: schemas/*.schema.json.
// Regenerate with `npm run generate`; `npm test` fails when this file drifts.

/**
 * The id of a node in this flow's `nodes` map (letters, digits, `-` and `_`; not a name every JavaScript object has, such as `constructor`).
 */
export type NodeId = string;

/**
 * The name of a field the conversation stores (letters, digits, `-` and `_`, starting with a letter; not a name every JavaScript object has, such as `constructor`).
 */
export type FieldName = string;

/**
 * Text the bot sends. `{{field}}` inserts a stored field. Plain text: never rendered as HTML.
 */
export type BotText = string;

/**
 * A list of field names.
 */
export type FieldList = FieldName[];

/**
 * The label visitors see in consent dialogs, "my data" and corrections, and that the privacy texts use: one text in the flow's language, or `{ de: …, en: … }`.
 */
export type FieldLabel = string | LocalisedFieldLabel;
/**
 * A built-in item: `privacy` (policy link), `imprint` (imprint link), `my-data` (see, export, correct) or `unsubscribe` (unsubscribe and delete everything).
 */
export type BuiltInMenuItem = "privacy" | "imprint" | "my-data" | "unsubscribe";
/**
 * One step of the conversation; `type` selects which.
 */
export type FlowNode =
  | MessageNode
  | ChoiceNode
  | InputNode
  | ConsentNode
  | ConditionNode
  | SetNode
  | WebhookNode
  | FaqNode
  | HandoverNode
  | EndNode;
/**
 * A ready-made integration instead of an address of your own: `email` mails the sent fields to the team, `brevo` and `cleverreach` put a subscriber on a newsletter list with double opt-in. Always delivered durably (no `url`, `map` or `error`). The step's `processor` names the company behind it (docs/deliveries.md#integrations).
 */
export type Integration = EmailIntegration | BrevoIntegration | CleverReachIntegration;

/**
 * A Botschaft chatbot flow (`flows/<id>.yaml`). Add `# yaml-language-server: $schema=../schemas/flow.schema.json` as the first line for completion and hovers in VS Code.
 */
export interface Flow {
  /**
   * Version of the flow file format. Missing means 1; older files are migrated on load.
   */
  format?: 1;
  /**
   * The flow id: kebab-case, equal to the file name without `.yaml`.
   */
  flow: string;
  /**
   * A human-readable title shown in the editor.
   */
  title: string;
  /**
   * Optional notes for the team; never shown to end users.
   */
  description?: string;
  /**
   * The language of the flow's texts and of the bot's built-in messages.
   */
  language: "de" | "en";
  privacy: Privacy;
  fields?: FieldDeclarations;
  /**
   * The main menu, reachable at every step. Must contain the four built-ins `privacy`, `imprint`, `my-data` and `unsubscribe`; custom items jump to a node.
   *
   * @maxItems 12
   */
  menu?: (BuiltInMenuItem | CustomMenuItem)[];
  openingHours?: OpeningHours;
  /**
   * The node a new conversation starts with.
   */
  start: NodeId;
  /**
   * The steps of the conversation, by id. References between nodes always use these ids.
   */
  nodes: {
    [k: string]: FlowNode;
  };
  /**
   * Editor positions, one line per node (`id: { x: 0, y: 0 }`); ignored by the runtime.
   */
  layout?: {
    [k: string]: Position;
  };
}
/**
 * Who is responsible and how long data is kept; the source of the generated privacy texts.
 */
export interface Privacy {
  controller: Controller;
  /**
   * Link to the privacy policy; must be `https:`. Shown in every consent and in the menu.
   */
  policyUrl?: string;
  /**
   * Link to the imprint (Impressum); must be `https:`.
   */
  imprintUrl?: string;
  /**
   * Whether team members with the role `editor` may read this flow's results (what visitors left, decrypted; docs/results.md#who-may-read-them). Administrators and the DPO always may; without this, editors may not.
   */
  editorsSeeResults?: boolean;
  /**
   * How long answers are kept after the conversation's last activity, as an ISO 8601 duration such as `P90D` or `P6M`; at most `P2Y`.
   */
  retention?: string;
}
/**
 * The controller in the sense of Art. 4(7) GDPR: the company running the bot.
 */
export interface Controller {
  /**
   * Legal name of the controller.
   */
  name: string;
  /**
   * Postal address of the controller.
   */
  address: string;
  /**
   * Contact address for privacy requests.
   */
  email: string;
  /**
   * Optional contact of the data protection officer.
   */
  dpo?: string;
}
/**
 * Optional: how each stored field is shown to visitors and in the generated texts, by field name. Fields not listed get a default label (well-known names such as `email` or `phone` have good ones; others are the name in words).
 */
export interface FieldDeclarations {
  [k: string]: FieldDeclaration;
}
/**
 * How one field is shown, and whether it is personal data.
 */
export interface FieldDeclaration {
  label?: FieldLabel;
  /**
   * Whether the field holds personal data; overrides the guess from its name and input format (`true` wins where a node says otherwise).
   */
  personal?: boolean;
}
/**
 * The label in German and English.
 */
export interface LocalisedFieldLabel {
  /**
   * German label.
   */
  de?: string;
  /**
   * English label.
   */
  en?: string;
}
/**
 * A custom item that jumps to a node.
 */
export interface CustomMenuItem {
  /**
   * Stable id of the item (used by channels); defaults to the `goto` node id.
   */
  id?: string;
  /**
   * The text of the menu item.
   */
  label: string;
  /**
   * The node the item jumps to; it is an entry point of the flow.
   */
  goto: NodeId;
}
/**
 * When agents answer live chats (docs/inbox.md#opening-hours). Outside them a `handover` step continues at its `noAgent` target at once. Without opening hours agents are expected at any time.
 */
export interface OpeningHours {
  /**
   * The IANA time zone the times are in, e.g. `Europe/Berlin`.
   */
  timezone: string;
  /**
   * Opening times on Mondays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  mon?: string[];
  /**
   * Opening times on Tuesdays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  tue?: string[];
  /**
   * Opening times on Wednesdays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  wed?: string[];
  /**
   * Opening times on Thursdays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  thu?: string[];
  /**
   * Opening times on Fridays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  fri?: string[];
  /**
   * Opening times on Saturdays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  sat?: string[];
  /**
   * Opening times on Sundays as `HH:MM-HH:MM` ranges, e.g. `09:00-12:30`; missing or empty means closed all day.
   *
   * @maxItems 6
   */
  sun?: string[];
  /**
   * Whole days closed (holidays) as `YYYY-MM-DD` dates in the time zone.
   *
   * @maxItems 100
   */
  closed?: string[];
}
/**
 * Sends a text and moves on without waiting for the user.
 */
export interface MessageNode {
  /**
   * Node type.
   */
  type: "message";
  /**
   * The message to send; `{{field}}` inserts a stored field.
   */
  text: BotText;
  /**
   * The node to continue with. Without `next` the conversation ends after this message.
   */
  next?: NodeId;
}
/**
 * Asks a question with buttons and waits; the user may press a button, type its label or its number.
 */
export interface ChoiceNode {
  /**
   * Node type.
   */
  type: "choice";
  /**
   * The question shown above the buttons.
   */
  text: BotText;
  /**
   * The buttons, in order. Each leads to its own node.
   *
   * @minItems 1
   * @maxItems 20
   */
  options: [ChoiceOption, ...ChoiceOption[]];
  /**
   * Optional field that stores the chosen option's value.
   */
  field?: FieldName;
  /**
   * Whether the stored choice is personal data. Needed only to override the name-based guess.
   */
  personal?: boolean;
}
/**
 * One button.
 */
export interface ChoiceOption {
  /**
   * The button text the user sees. May be renamed freely: references use node ids, not labels.
   */
  label: string;
  /**
   * The value stored in `field` and sent as button payload; defaults to the label.
   */
  value?: string;
  /**
   * The node this button leads to.
   */
  next: NodeId;
}
/**
 * Asks for a free-text answer, checks it against its format and stores it in a field.
 */
export interface InputNode {
  /**
   * Node type.
   */
  type: "input";
  /**
   * The question.
   */
  text: BotText;
  /**
   * The field that stores the answer.
   */
  field: FieldName;
  /**
   * What kind of answer is expected; the answer is checked and the matching keyboard is shown. `email` and `phone` make the field personal data.
   */
  format?: "text" | "email" | "phone" | "number" | "date" | "postcode" | "url";
  /**
   * Optional regular expression (JavaScript syntax) the answer must match in addition to its format.
   */
  pattern?: string;
  /**
   * Whether the answer is personal data. Overrides the guess from format and field name (`personal: false` for e.g. a product name).
   */
  personal?: boolean;
  /**
   * How many times an invalid answer is asked again before going to `invalid`.
   */
  retries?: number;
  /**
   * Text sent when an answer is invalid; a default text for the format is used when missing.
   */
  retryText?: BotText;
  /**
   * The node to go to when all retries are used up; without it the question is asked again.
   */
  invalid?: NodeId;
  /**
   * The node to continue with after a valid answer.
   */
  next: NodeId;
}
/**
 * Asks for consent to store and use the named fields for one purpose; the answer is logged with time, text, flow version and channel.
 */
export interface ConsentNode {
  /**
   * Node type.
   */
  type: "consent";
  /**
   * The purpose, in plain words, e.g. `Rückruf zu Ihrem Anliegen`. One purpose per consent: never bundle a newsletter with a request.
   */
  purpose: string;
  /**
   * The fields this consent allows the bot to collect, store and send.
   *
   * @minItems 1
   */
  covers: FieldList;
  /**
   * The consent question naming the purpose and the data. A link to the privacy policy is added automatically.
   */
  text: BotText;
  /**
   * The node to continue with when the user agrees.
   */
  accept: NodeId;
  /**
   * The node to continue with when the user declines; the bot must not ask for the covered data there.
   */
  decline: NodeId;
}
/**
 * Branches on stored fields: tries the branches in order and follows the first that matches, else `else`.
 */
export interface ConditionNode {
  /**
   * Node type.
   */
  type: "condition";
  /**
   * The branches, tried in order.
   *
   * @minItems 1
   * @maxItems 50
   */
  if: [ConditionBranch, ...ConditionBranch[]];
  /**
   * The node to go to when no branch matches.
   */
  else: NodeId;
}
/**
 * One branch: a field, exactly one test and the node to go to.
 */
export interface ConditionBranch {
  /**
   * The field to test.
   */
  field: FieldName;
  /**
   * True: the field has a value; false: it has none.
   */
  exists?: boolean;
  /**
   * The field equals this value.
   */
  equals?: string | number | boolean;
  /**
   * The field matches this regular expression (JavaScript syntax).
   */
  matches?: string;
  /**
   * The field, read as a number, is less than this.
   */
  lt?: number;
  /**
   * The field, read as a number, is greater than this.
   */
  gt?: number;
  /**
   * The node to go to when the test holds.
   */
  next: NodeId;
}
/**
 * Assigns values to fields and moves on. String values may use `{{field}}`.
 */
export interface SetNode {
  /**
   * Node type.
   */
  type: "set";
  /**
   * Field name → value to assign.
   */
  set: {
    /**
     * The value; strings may use `{{field}}`.
     */
    [k: string]: string | number | boolean;
  };
  /**
   * Whether the assigned fields are personal data. Overrides the name-based guess.
   */
  personal?: boolean;
  /**
   * The node to continue with.
   */
  next: NodeId;
}
/**
 * Sends fields as JSON by HTTPS POST to another system (a processor) and optionally stores values from its JSON reply.
 */
export interface WebhookNode {
  /**
   * Node type.
   */
  type: "webhook";
  /**
   * The HTTPS address to POST to (not with `integration`). Credentials belong in the runtime's configuration, never in the flow (no `user:password@`).
   */
  url?: string;
  /**
   * The fields sent; nothing else leaves the bot.
   */
  sends?: FieldList;
  processor?: Processor;
  notices?: Notices;
  integration?: Integration;
  /**
   * Field name → JSON pointer into the reply (e.g. `/ticket/id`); only JSON values are stored, only into these fields.
   */
  map?: {
    /**
     * A JSON pointer into the reply body.
     */
    [k: string]: string;
  };
  /**
   * How the data is sent. `sync` (default): the conversation waits for the reply and may branch on it (`error`, `map`). `durable`: the call is stored with the turn and the conversation goes on with `next` at once; the runtime retries it with backoff until the receiver takes it (24 hours by default) and shows a delivery that finally fails to the team. `durable` applies only without `map`, since no reply comes back into the conversation.
   */
  delivery?: "sync" | "durable";
  /**
   * Seconds to wait for the reply before taking `error`.
   */
  timeout?: number;
  /**
   * The node to continue with after a 2xx reply.
   */
  next: NodeId;
  /**
   * The node to go to on a failure or timeout; without it the conversation continues with `next`.
   */
  error?: NodeId;
}
/**
 * Who receives the data (Art. 28 GDPR processor) and where. Required when a personal field is sent.
 */
export interface Processor {
  /**
   * The processor's legal name.
   */
  name: string;
  /**
   * Where the data is processed: ISO 3166-1 alpha-2 code, e.g. `DE`.
   */
  country: string;
  /**
   * Transfer safeguard for a country outside the EU/EEA without adequacy decision: `scc` standard contractual clauses, `bcr` binding corporate rules, `dpf` EU-US Data Privacy Framework (US only).
   */
  safeguard?: "scc" | "bcr" | "dpf";
}
/**
 * Where the processor is told when a person corrects data this step sent, withdraws the consent it was sent under, or has it erased (Art. 17(2), 19 GDPR). Botschaft POSTs a signed JSON notice there, durably and SSRF-checked like a durable delivery (docs/deliveries.md#notices-to-processors). Recommended whenever the step sends personal data.
 */
export interface Notices {
  /**
   * The HTTPS address the processor takes notices at, e.g. `https://crm.muster.example/gdpr`. No `user:password@`.
   */
  url: string;
}
/**
 * An e-mail with the sent fields to the team, through the runtime's mail server (`BOTSCHAFT_SMTP_URL`).
 */
export interface EmailIntegration {
  /**
   * E-mail to the team.
   */
  preset: "email";
  /**
   * The team's addresses (at most 10).
   *
   * @minItems 1
   * @maxItems 10
   */
  to: [string, ...string[]];
  /**
   * The e-mail's subject. Default: "New enquiry from the chatbot" in the flow's language.
   */
  subject?: string;
  /**
   * A sent field holding the visitor's e-mail address, used as Reply-To so the team can answer directly.
   */
  replyTo?: FieldName;
}
/**
 * A contact on Brevo lists with double opt-in: Brevo mails the confirmation link, the contact joins the lists only after clicking it.
 */
export interface BrevoIntegration {
  /**
   * Brevo (Sendinblue SAS, France).
   */
  preset: "brevo";
  /**
   * The name of the secret that holds the API key: the runtime reads it from the environment variable `BOTSCHAFT_API_KEY_<name>` (docs/configuration.md). The key itself never belongs in the flow.
   */
  secret: string;
  /**
   * The Brevo lists the contact joins after confirming.
   *
   * @minItems 1
   * @maxItems 20
   */
  listIds: [number, ...number[]];
  /**
   * The id of the Brevo double opt-in template.
   */
  templateId: number;
  /**
   * The page the visitor sees after clicking the confirmation link.
   */
  redirectUrl: string;
  /**
   * The field holding the subscriber's e-mail address; it must be among `sends`. Default `email`.
   */
  emailField?: FieldName;
  /**
   * Attribute name in the newsletter tool → the field it takes its value from (a field among `sends`). Without it, every sent field but the address goes under its own name (Brevo: in capitals, `FIRSTNAME`; CleverReach: in small letters).
   */
  attributes?: {
    [k: string]: FieldName;
  };
}
/**
 * An inactive receiver in a CleverReach group, then the double opt-in mail of a CleverReach form; the receiver is activated when they click its link.
 */
export interface CleverReachIntegration {
  /**
   * CleverReach (CleverReach GmbH & Co. KG, Germany).
   */
  preset: "cleverreach";
  /**
   * The name of the secret that holds the API key: the runtime reads it from the environment variable `BOTSCHAFT_API_KEY_<name>` (docs/configuration.md). The key itself never belongs in the flow.
   */
  secret: string;
  /**
   * The CleverReach group (list) the receiver is added to.
   */
  groupId: number;
  /**
   * The CleverReach form whose double opt-in mail is sent.
   */
  formId: number;
  /**
   * The field holding the subscriber's e-mail address; it must be among `sends`. Default `email`.
   */
  emailField?: FieldName;
  /**
   * Attribute name in the newsletter tool → the field it takes its value from (a field among `sends`). Without it, every sent field but the address goes under its own name (Brevo: in capitals, `FIRSTNAME`; CleverReach: in small letters).
   */
  attributes?: {
    [k: string]: FieldName;
  };
}
/**
 * Answers the visitor's question in their own words from a knowledge base (`<knowledgeBase>.faq.yaml` next to the flow): answers when sure, offers the two or three best entries as buttons when in between, and goes to `fallback` — typically a handover — when unsure. Everything runs on the Botschaft server; the question is not stored beyond the turn unless `field` stores it under a consent.
 */
export interface FaqNode {
  /**
   * Node type.
   */
  type: "faq";
  /**
   * The invitation to ask, e.g. "What would you like to know? Just type your question."
   */
  text: BotText;
  /**
   * The knowledge base to answer from: `service` reads `service.faq.yaml` in the flow's directory. Published together with the flow, so a conversation keeps the version it started with.
   */
  knowledgeBase: string;
  /**
   * How sure the step must be, overriding the knowledge base's `thresholds` (scores from 0 to 1).
   */
  thresholds?: {
    /**
     * The lowest score at which the best entry is answered directly.
     */
    answer?: number;
    /**
     * The lowest score at which entries are offered as buttons.
     */
    suggest?: number;
    /**
     * How far the best entry must lead the second to be answered directly.
     */
    margin?: number;
  };
  /**
   * The text above the offered entries; a built-in "Did you mean one of these?" when missing.
   */
  suggestText?: BotText;
  /**
   * Stores the visitor's last question in this field (e.g. to share it with an agent). A question may hold anything, so the field is personal data: it is stored only under a consent that covers it.
   */
  field?: FieldName;
  /**
   * Whether a question that goes to the fallback is kept — masked (e-mail addresses, phone numbers, names and long digit runs replaced) and without any link to the visitor — for editors to review and turn into entries.
   */
  keepUnanswered?: boolean;
  /**
   * The node to go to when no entry fits well enough (or the visitor picks "none of these"), typically a handover.
   */
  fallback: NodeId;
  /**
   * The node to continue with after an answer, unless the entry names its own `next`; without it the step waits for the next question.
   */
  next?: NodeId;
}
/**
 * Hands the conversation to a human agent and waits until the agent hands it back (docs/inbox.md). Messages the visitor writes meanwhile go to the agent.
 */
export interface HandoverNode {
  /**
   * Node type.
   */
  type: "handover";
  /**
   * Text sent to the user while waiting for an agent.
   */
  text: BotText;
  /**
   * The stored fields the agent may see.
   */
  shares?: FieldList;
  /**
   * Whether the agent also sees the conversation before the handover: the bot's messages and the visitor's answers, at most the last 50 (docs/inbox.md#history-before-the-handover). Off by default: the agent sees only what is written after the handover and the fields the step `shares`.
   */
  history?: boolean;
  /**
   * The node to continue with when the agent hands back; without it the conversation ends.
   */
  next?: NodeId;
  /**
   * Where the conversation continues when no agent is available: outside the flow's `openingHours` (then `text` is not sent). Without it the visitor is told that nobody is there and may leave a message for the agents.
   */
  noAgent?: NodeId;
  /**
   * After how many minutes without an agent claiming the conversation it counts as unclaimed (default 10).
   */
  unclaimedMinutes?: number;
  /**
   * Where the conversation continues when nobody claimed it within `unclaimedMinutes`. Without it the visitor is told that nobody is free and may leave a message for the agents.
   */
  unclaimed?: NodeId;
}
/**
 * Ends the conversation; the main menu stays available.
 */
export interface EndNode {
  /**
   * Node type.
   */
  type: "end";
  /**
   * Optional closing text.
   */
  text?: BotText;
}
/**
 * Position of a node's box on the canvas.
 */
export interface Position {
  /**
   * Horizontal position in canvas pixels.
   */
  x: number;
  /**
   * Vertical position in canvas pixels.
   */
  y: number;
}
