/**
 * The widget's transport for the editor's preview: the same calls as the web chat API, answered
 * by the real engine in the page. Nothing is stored or sent: webhooks answer as failed (their
 * `error` branch is what the preview shows), a handover is only noted. What would happen in the
 * background (a webhook, a handover, a question kept for review) is reported as a note.
 */
import {
  type ConversationState,
  type DataExport,
  driveTurn,
  type EngineEvent,
  exportData,
  menuOf,
  type RunnableFlow,
  type StepResult,
  startConversation,
  step,
  type TurnHandlers,
} from "../../../runtime/core/index.ts";
import type { ChatTransport } from "../../../runtime/widget/src/chat-widget.ts";
import type { Turn, UserEvent } from "../../../runtime/widget/src/chat-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { previewHashText } from "./preview-hash.ts";

const context = () => ({ now: new Date().toISOString(), hashText: previewHashText });

/** Nothing leaves the preview: every webhook answers as failed, so its `error` branch is what shows. */
const previewHandlers: TurnHandlers = { callWebhook: () => ({ ok: false }) };

/** What the steps of a turn would have done in the background, as notes for the person editing. */
export function notesOf(steps: readonly StepResult[], lang: UiLanguage, stepName: (id: string) => string): string[] {
  const notes: string[] = [];
  steps.forEach((result, index) => {
    for (const effect of result.effects) {
      if (effect.type === "request-handover") notes.push(t(lang, "previewHandover"));
      if (effect.type === "erase-conversation") notes.push(t(lang, "previewErased"));
      if (effect.type === "keep-unanswered") notes.push(t(lang, "previewKeptQuestion", { question: effect.question }));
    }
    const webhook = result.effects.find((effect) => effect.type === "call-webhook");
    // A call is answered only when a later step took its outcome (the loop stops after a bound).
    if (webhook?.type === "call-webhook" && index < steps.length - 1) notes.push(t(lang, "webhookSimulated", { node: stepName(webhook.node) }));
  });
  return notes;
}

function engineEvent(event: UserEvent): EngineEvent {
  if ("menu" in event) return { type: "menu", item: event.menu };
  if ("choice" in event) return { type: "choice", value: event.choice };
  return { type: "text", text: event.text };
}

export class PreviewTransport implements ChatTransport {
  private state: ConversationState | undefined;

  constructor(
    private readonly runnable: RunnableFlow,
    private readonly onNotes: (notes: string[]) => void,
    private readonly lang: UiLanguage,
    private readonly stepName: (id: string) => string = (id) => id,
  ) {}

  private async turn(first: StepResult): Promise<Turn> {
    const turn = await driveTurn(this.runnable, first, context(), previewHandlers);
    this.state = turn.result.state;
    const notes = notesOf(turn.steps, this.lang, this.stepName);
    if (notes.length > 0) this.onNotes(notes);
    const erased = turn.steps.some((result) => result.effects.some((effect) => effect.type === "erase-conversation"));
    return { id: "preview", messages: turn.steps.flatMap((result) => result.messages), menu: menuOf(this.runnable), status: erased ? "erased" : turn.result.state.waiting };
  }

  async start(): Promise<Turn & { token: string }> {
    return { ...(await this.turn(startConversation(this.runnable, { channel: "preview" }, context()))), token: "preview" };
  }

  async send(_id: string, _token: string, event: UserEvent): Promise<Turn> {
    if (!this.state) throw new Error("the preview has not started");
    return this.turn(step(this.runnable, this.state, engineEvent(event), context()));
  }

  async data(): Promise<DataExport> {
    if (!this.state) throw new Error("the preview has not started");
    return exportData(this.runnable, this.state);
  }
}
