/** Contract suite for the unanswered-questions role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { UnansweredQuestionRecord } from "../ports/unanswered-questions.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function question(id: string, askedAt: string, overrides: Partial<UnansweredQuestionRecord> = {}): UnansweredQuestionRecord {
  return {
    id,
    flow: "support-faq",
    flowVersion: "sha256:1",
    knowledgeBase: "velo-service",
    node: "ask-question",
    question: `Kann ich mein Handy reparieren lassen? (${id})`,
    candidates: [{ id: "repair", score: 0.31 }],
    askedAt,
    status: "open",
    ...overrides,
  };
}

export function unansweredQuestionsContract(subject: StoreUnderTest): void {
  const { open, opened } = storeFixture(subject);

  describe("unanswered questions", () => {
    it("keeps a question once, lists newest first and by status", async () => {
      const store = await open();
      expect(await store.unansweredQuestions.keep(question("q1", "2026-11-22T10:00:00.000Z"))).toBe(true);
      expect(await store.unansweredQuestions.keep(question("q1", "2026-11-22T10:00:00.000Z", { question: "again" }))).toBe(false);
      await store.unansweredQuestions.keep(question("q2", "2026-11-22T11:00:00.000Z"));
      await store.unansweredQuestions.keep(question("q3", "2026-11-22T12:00:00.000Z"));
      expect((await store.unansweredQuestions.list({})).map((record) => record.id)).toEqual(["q3", "q2", "q1"]);
      expect((await store.unansweredQuestions.list({ limit: 2 })).map((record) => record.id)).toEqual(["q3", "q2"]);
      expect(await store.unansweredQuestions.get("q1")).toEqual(question("q1", "2026-11-22T10:00:00.000Z"));
      await store.unansweredQuestions.decide("q2", { status: "dismissed", decidedBy: "erika@muster.example", decidedAt: "2026-11-22T13:00:00.000Z" });
      expect((await store.unansweredQuestions.list({ statuses: ["open", "answered"] })).map((record) => record.id)).toEqual(["q3", "q1"]);
      expect(await store.unansweredQuestions.get("nope")).toBeUndefined();
    });

    it("adds an agent's answer to an undecided question and lets exactly one decision through", async () => {
      const store = await open();
      await store.unansweredQuestions.keep(question("q1", "2026-11-22T10:00:00.000Z"));
      expect(await store.unansweredQuestions.answer("q1", { agentAnswer: "Nein, nur Fahrräder.", answeredAt: "2026-11-22T10:05:00.000Z" })).toBe(true);
      expect(await store.unansweredQuestions.get("q1")).toEqual(
        question("q1", "2026-11-22T10:00:00.000Z", { status: "answered", agentAnswer: "Nein, nur Fahrräder.", answeredAt: "2026-11-22T10:05:00.000Z" }),
      );
      const decisions = await Promise.all([
        store.unansweredQuestions.decide("q1", { status: "added", entry: "repair", decidedBy: "erika@muster.example", decidedAt: "2026-11-22T11:00:00.000Z" }),
        store.unansweredQuestions.decide("q1", { status: "dismissed", decidedBy: "max@muster.example", decidedAt: "2026-11-22T11:00:01.000Z" }),
      ]);
      expect(decisions.filter(Boolean)).toHaveLength(1);
      expect(await store.unansweredQuestions.answer("q1", { agentAnswer: "late", answeredAt: "2026-11-22T12:00:00.000Z" })).toBe(false);
      expect(await store.unansweredQuestions.answer("nope", { agentAnswer: "x", answeredAt: "2026-11-22T12:00:00.000Z" })).toBe(false);
    });

    it("deletes the questions asked before a time, and keeps the rest across a restart", async () => {
      const store = await open();
      await store.unansweredQuestions.keep(question("old", "2026-08-01T10:00:00.000Z"));
      await store.unansweredQuestions.keep(question("new", "2026-11-22T10:00:00.000Z"));
      expect(await store.unansweredQuestions.deleteAskedBefore("2026-09-01T00:00:00.000Z")).toBe(1);
      expect((await store.unansweredQuestions.list({})).map((record) => record.id)).toEqual(["new"]);
      if (!subject.reopen) return;
      const again = await subject.reopen(store);
      opened.push(again);
      expect((await again.unansweredQuestions.list({})).map((record) => record.id)).toEqual(["new"]);
    });
  });
}
