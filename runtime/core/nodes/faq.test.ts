import { describe, expect, it } from "vitest";
import type { FaqNode, FlowNode } from "../dsl/flow.ts";
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import type { ConversationState, EngineEvent, StepResult } from "../engine/conversation.ts";
import { prepareFlow } from "../engine/runnable-flow.ts";
import { startConversation, step } from "../engine/step.ts";
import { checkFaqReferences } from "../faq/check-faq-references.ts";
import { minimalFlow, node } from "../validate/test-flow-builder.ts";
import { checkFlowValue } from "../validate/validate-flow.ts";

const knowledgeBase: KnowledgeBase = {
  language: "de",
  entries: [
    { id: "opening-hours", title: "Öffnungszeiten", questions: ["Wann haben Sie geöffnet?", "Öffnungszeiten"], answer: "9 bis 17 Uhr.", links: [{ label: "Anfahrt", url: "https://muster.example/anfahrt" }] },
    { id: "battery-charging", title: "Akku laden", questions: ["Wie lade ich den Akku?"], answer: "Mit dem Original-Ladegerät." },
    { id: "battery-range", title: "Reichweite", questions: ["Wie weit komme ich mit dem Akku?"], answer: "Bis zu 120 km." },
    { id: "urgent", questions: ["Mein Akku brennt"], answer: "Bitte sofort raus!", next: "agent" },
  ],
};

const faq = (extra: Partial<FaqNode> = {}): FlowNode => ({ type: "faq", text: "Ihre Frage?", knowledgeBase: "service", fallback: "agent", next: "done", ...extra });

function flowWith(step: FlowNode) {
  return minimalFlow().with("welcome", step).with("agent", { type: "handover", text: "Ich verbinde Sie.", shares: [], noAgent: "done" }).with("done", node.end());
}

const context = (minute: number) => ({ now: `2026-11-22T10:${String(minute).padStart(2, "0")}:00.000Z`, hashText: (text: string) => `h${text.length.toString(16).padStart(40, "0")}` });

function chat(step_: FlowNode, knowledgeBases: Record<string, KnowledgeBase> = { service: knowledgeBase }) {
  const runnable = prepareFlow(flowWith(step_).build(), "v1", knowledgeBases);
  let state: ConversationState = startConversation(runnable, { channel: "web" }, context(0)).state;
  let minute = 0;
  return {
    send(event: EngineEvent): StepResult {
      minute += 1;
      const result = step(runnable, state, event, context(minute));
      state = result.state;
      return result;
    },
    say(text: string) {
      return this.send({ type: "text", text });
    },
    get state() {
      return state;
    },
  };
}

describe("the faq step", () => {
  it("asks, answers a question it is sure of with the entry's links, and goes on", () => {
    const conversation = chat(faq());
    const result = conversation.say("Wann habt ihr geöffnet?");
    expect(result.messages.slice(0, 2)).toEqual([
      { type: "text", text: "9 bis 17 Uhr." },
      { type: "link", label: "Anfahrt", url: "https://muster.example/anfahrt" },
    ]);
    expect(result.state.waiting).toBe("ended");
    expect(result.effects).toEqual([]);
  });

  it("stays for the next question when it has no next step, and follows an entry's own next", () => {
    const conversation = chat(faq({ next: undefined }));
    expect(conversation.say("Öffnungszeiten").state.node).toBe("welcome");
    expect(conversation.state.waiting).toBe("reply");
    expect(conversation.say("Mein Akku brennt").state.node).toBe("agent");
  });

  it("offers the closest entries with 'none of these', answers the one picked, and falls back on none", () => {
    const conversation = chat(faq());
    const offered = conversation.say("Akku");
    expect(offered.messages).toEqual([
      { type: "choice", text: "Meinten Sie eines davon?", options: expect.arrayContaining([{ label: "Akku laden", value: "faq:battery-charging" }, { label: "Nichts davon", value: "faq:none" }]) },
    ]);
    expect(conversation.send({ type: "choice", value: "faq:battery-range" }).messages[0]).toEqual({ type: "text", text: "Bis zu 120 km." });
    const again = chat(faq());
    again.say("Akku");
    const none = again.send({ type: "choice", value: "faq:none" });
    expect(none.state.node).toBe("agent");
    expect(none.effects.map((effect) => effect.type)).toEqual(["request-handover"]);
  });

  it("falls back when unsure and hands the edges the question masked, noting only its id in the state", () => {
    const conversation = chat(faq());
    const result = conversation.say("Ich heiße Anna Schmidt – wie wird das Wetter?");
    expect(result.state.node).toBe("agent");
    const kept = result.effects.find((effect) => effect.type === "keep-unanswered");
    expect(kept).toEqual({ type: "keep-unanswered", id: expect.any(String), node: "welcome", knowledgeBase: "service", question: "Ich heiße [name] – wie wird das Wetter?", candidates: expect.any(Array) });
    expect(result.state.unanswered).toBe(kept && "id" in kept ? kept.id : "");
    expect(JSON.stringify(result.state)).not.toContain("Wetter");
  });

  it("keeps nothing when told not to, and asks again on an empty question or emoji without keeping anything", () => {
    const quiet = chat(faq({ keepUnanswered: false }));
    const result = quiet.say("Wie wird das Wetter?");
    expect(result.effects.map((effect) => effect.type)).toEqual(["request-handover"]);
    expect(result.state.unanswered).toBeUndefined();
    const conversation = chat(faq());
    expect(conversation.say("   ").messages).toEqual([{ type: "text", text: "Ihre Frage?" }]);
    expect(conversation.say("🚲🚲").messages).toEqual([{ type: "text", text: "Schreiben Sie Ihre Frage bitte in Worten, dann suche ich die Antwort." }]);
    expect(conversation.state.node).toBe("welcome");
  });

  it("stores the question in its field only under a consent that covers it", () => {
    const withoutConsent = chat(faq({ field: "frage" }));
    expect(withoutConsent.say("Öffnungszeiten").state.fields).toEqual({});
    const runnable = prepareFlow(
      flowWith(faq({ field: "frage" }))
        .with("welcome", node.consent(["frage"], "ask", "done"))
        .with("ask", faq({ field: "frage" }))
        .build(),
      "v1",
      { service: knowledgeBase },
    );
    let state = startConversation(runnable, { channel: "web" }, context(0)).state;
    state = step(runnable, state, { type: "choice", value: "accept" }, context(1)).state;
    expect(step(runnable, state, { type: "text", text: "Öffnungszeiten" }, context(2)).state.fields).toEqual({ frage: "Öffnungszeiten" });
    expect(runnable.personalFields.has("frage")).toBe(true);
  });

  it("hands over when the flow was published without its knowledge base", () => {
    expect(chat(faq(), {}).say("Öffnungszeiten").state.node).toBe("agent");
  });
});

describe("the faq-reference rule", () => {
  const flow = flowWith(faq()).build();
  const source = "language: de\nentries:\n  - id: a\n    questions: [Frage]\n    answer: Antwort\n";
  const rules = (sources: Record<string, string>) => checkFaqReferences(flow, sources, "en").problems.map((problem) => `${problem.pointer} ${problem.message}`);

  it("passes a flow whose knowledge base is there and valid, and hands it back parsed", () => {
    expect(checkFaqReferences(flow, { service: source }, "en")).toEqual({ knowledgeBases: { service: expect.objectContaining({ language: "de" }) }, problems: [] });
    expect(checkFlowValue(flow, { knowledgeBaseSources: { service: source } }).problems).toEqual([]);
  });

  it("refuses a missing, broken, foreign-language knowledge base and an entry leading nowhere", () => {
    expect(rules({})).toEqual(["/nodes/welcome/knowledgeBase There is no knowledge base 'service'; write it as service.faq.yaml next to the flow."]);
    expect(rules({ service: "language: de\nentries: [{ id: a, questions: [x] }]\n" })).toEqual([
      "/nodes/welcome/knowledgeBase The knowledge base 'service' has 1 error(s) (first: 2:11 'answer' is missing here.); run `npx botschaft validate` on it.",
    ]);
    expect(rules({ service: source.replace("language: de", "language: en") })).toEqual([
      "/nodes/welcome/knowledgeBase The knowledge base 'service' is in 'en' but the flow speaks 'de'; visitors' questions would not match.",
    ]);
    expect(rules({ service: `${source}    next: nirgendwo\n` })).toEqual([
      "/nodes/welcome/knowledgeBase Entry 'a' of the knowledge base 'service' continues with 'nirgendwo', which is not a node of this flow.",
    ]);
  });

  it("is not run when no knowledge bases are handed over (the editor's canvas)", () => {
    expect(checkFlowValue(flow).problems).toEqual([]);
  });
});
