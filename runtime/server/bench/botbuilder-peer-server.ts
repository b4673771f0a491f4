/**
 * The benchmark's peer: the reference flow (`examples/callback-request.yaml`) written the way
 * Microsoft's Bot Framework SDK v4 samples write a bot — a component dialog with a waterfall
 * and prompts, dialog and profile state in `ConversationState` over `MemoryStorage`, a
 * `CloudAdapter` behind Express. It runs without Bot Framework credentials (the SDK then skips
 * authentication, as for the Emulator), and the benchmark sends every activity with
 * `deliveryMode: "expectReplies"`, so the bot's replies come back in the HTTP response like the
 * web chat API's messages do instead of being posted to a channel service.
 *
 * Like Botschaft it records the consent decision with a hash of the text shown; unlike
 * Botschaft it keeps everything in memory (no durability, no encryption at rest).
 *
 *   PORT=3002 node --import tsx runtime/server/bench/botbuilder-peer-server.ts
 */
import { createHash } from "node:crypto";
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  type StatePropertyAccessor,
  type TurnContext,
} from "botbuilder";
import {
  type Choice,
  ChoicePrompt,
  ComponentDialog,
  DialogSet,
  type DialogState,
  DialogTurnStatus,
  type FoundChoice,
  ListStyle,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from "botbuilder-dialogs";
import express from "express";

/** The texts and targets of `examples/callback-request.yaml`. */
const flow = {
  welcome: "Hallo! Ich bin der Service-Bot der Muster GmbH.",
  mainQuestion: "Wie kann ich helfen?",
  requestCallback: "Rückruf anfordern",
  openingHours: "Öffnungszeiten",
  hours: "Montag bis Freitag, 9 bis 17 Uhr.",
  consentPurpose: "Rückruf zu Ihrem Anliegen",
  consentText: "Dürfen wir Ihren Namen und Ihre Telefonnummer speichern, um Sie zurückzurufen?",
  policyUrl: "https://muster.example/datenschutz",
  noConsent: "Kein Problem – ohne Ihre Einwilligung speichern wir nichts.",
  askName: "Wie heißen Sie?",
  askPhone: "Unter welcher Nummer erreichen wir Sie?",
  phoneRetry: "Bitte geben Sie eine gültige Telefonnummer ein, z. B. +49 170 1234567.",
  webhookUrl: "https://crm.muster.example/api/callbacks",
  webhookTimeoutMs: 5000,
  thanks: (name: string) => `Danke, ${name}! Wir rufen Sie zurück.`,
};

const mainChoices: Choice[] = [{ value: flow.requestCallback }, { value: flow.openingHours }];
const consentChoices: Choice[] = [
  { value: "accept", action: { type: "imBack", title: "Ja, einverstanden", value: "accept" }, synonyms: ["Ja, einverstanden"] },
  { value: "decline", action: { type: "imBack", title: "Nein, danke", value: "decline" }, synonyms: ["Nein, danke"] },
];

interface ConsentRecord {
  purpose: string;
  fields: string[];
  textHash: string;
  decision: "accept" | "decline";
  at: string;
  channel: string;
}

/** What the conversation stores, as Botschaft's engine state does: the answers and the consent log. */
interface CallbackProfile {
  name?: string;
  phone?: string;
  consents: ConsentRecord[];
}

interface MainOptions {
  /** Set when the flow comes back to the main question, which greets only once. */
  skipWelcome?: boolean;
}

const textHash = createHash("sha256").update(flow.consentText).digest("hex");

function normalisedPhone(text: string): string | undefined {
  const digits = text.replace(/[\s()/-]/g, "");
  return /^\+?\d{6,15}$/.test(digits) ? digits : undefined;
}

async function phoneIsValid(prompt: PromptValidatorContext<string>): Promise<boolean> {
  return prompt.recognized.succeeded && normalisedPhone(prompt.recognized.value ?? "") !== undefined;
}

class CallbackRequestDialog extends ComponentDialog {
  constructor(private readonly profile: StatePropertyAccessor<CallbackProfile>) {
    super("callback-request");
    this.addDialog(new ChoicePrompt("choice", undefined, "de-de"));
    this.addDialog(new TextPrompt("text"));
    this.addDialog(new TextPrompt("phone", phoneIsValid));
    this.addDialog(
      new WaterfallDialog<MainOptions>("main", [
        (step) => this.askHowToHelp(step),
        (step) => this.askConsent(step),
        (step) => this.askName(step),
        (step) => this.askPhone(step),
        (step) => this.sendToCrm(step),
      ]),
    );
    this.initialDialogId = "main";
  }

  private async load(context: TurnContext): Promise<CallbackProfile> {
    const stored: CallbackProfile | undefined = await this.profile.get(context);
    if (stored) return stored;
    const fresh: CallbackProfile = { consents: [] };
    await this.profile.set(context, fresh);
    return fresh;
  }

  private async askHowToHelp(step: WaterfallStepContext<MainOptions>) {
    if (!step.options.skipWelcome) await step.context.sendActivity(flow.welcome);
    return step.prompt("choice", { prompt: flow.mainQuestion, choices: mainChoices, style: ListStyle.suggestedAction });
  }

  private async askConsent(step: WaterfallStepContext<MainOptions>) {
    const choice: FoundChoice = step.result;
    if (choice.value === flow.openingHours) {
      await step.context.sendActivity(flow.hours);
      return step.replaceDialog("main", { skipWelcome: true });
    }
    await step.context.sendActivity(`${flow.consentPurpose}: ${flow.policyUrl}`);
    return step.prompt("choice", { prompt: flow.consentText, choices: consentChoices, style: ListStyle.suggestedAction });
  }

  private async askName(step: WaterfallStepContext<MainOptions>) {
    const choice: FoundChoice = step.result;
    const decision = choice.value === "accept" ? "accept" : "decline";
    const profile = await this.load(step.context);
    profile.consents.push({
      purpose: flow.consentPurpose,
      fields: ["name", "phone"],
      textHash,
      decision,
      at: new Date().toISOString(),
      channel: step.context.activity.channelId,
    });
    if (decision === "decline") {
      await step.context.sendActivity(flow.noConsent);
      return step.replaceDialog("main", { skipWelcome: true });
    }
    return step.prompt("text", { prompt: flow.askName });
  }

  private async askPhone(step: WaterfallStepContext<MainOptions>) {
    const name: string = step.result;
    (await this.load(step.context)).name = name;
    return step.prompt("phone", { prompt: flow.askPhone, retryPrompt: flow.phoneRetry });
  }

  private async sendToCrm(step: WaterfallStepContext<MainOptions>) {
    const phone: string = step.result;
    const profile = await this.load(step.context);
    profile.phone = normalisedPhone(phone);
    try {
      await fetch(flow.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: profile.name, phone: profile.phone }),
        signal: AbortSignal.timeout(flow.webhookTimeoutMs),
      });
    } catch {
      // The flow's webhook has no error branch: the conversation goes on as Botschaft's does.
    }
    await step.context.sendActivity(flow.thanks(profile.name ?? ""));
    return step.endDialog();
  }
}

/**
 * Continues the active dialog or begins the flow. Not the SDK's `runDialog` helper: that one also
 * sends a "BotState" trace with a snapshot of the dialog memory, which channels drop but
 * `expectReplies` returns, and which would make the peer slower than it needs to be.
 */
async function continueOrBegin(dialogs: DialogSet, context: TurnContext): Promise<void> {
  const dialogContext = await dialogs.createContext(context);
  const result = await dialogContext.continueDialog();
  if (result.status === DialogTurnStatus.empty) await dialogContext.beginDialog("callback-request");
}

class CallbackRequestBot extends ActivityHandler {
  constructor(private readonly conversationState: ConversationState) {
    super();
    const dialogs = new DialogSet(conversationState.createProperty<DialogState>("dialogState"));
    dialogs.add(new CallbackRequestDialog(conversationState.createProperty<CallbackProfile>("profile")));
    this.onMembersAdded(async (context, next) => {
      const recipient = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((member) => member.id !== recipient)) await continueOrBegin(dialogs, context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await continueOrBegin(dialogs, context);
      await next();
    });
  }

  /** Saves the dialog and profile state after every turn, as the SDK's samples do. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }
}

const bot = new CallbackRequestBot(new ConversationState(new MemoryStorage()));
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, error) => {
  process.stderr.write(`turn failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await context.sendActivity("Es ist ein Fehler aufgetreten.");
};

const app = express();
app.disable("x-powered-by");
app.get("/healthz", (_request, response) => {
  response.json({ status: "ok" });
});
app.post("/api/messages", express.json({ limit: "16kb" }), async (request, response) => {
  await adapter.process(request, response, (context) => bot.run(context));
});

const server = app.listen(Number(process.env.PORT ?? 3002), process.env.HOST ?? "127.0.0.1");
const stop = () => {
  server.close();
  server.closeIdleConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
