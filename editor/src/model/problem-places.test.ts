import { describe, expect, it } from "vitest";
import { placeOf } from "./problem-places.ts";

const flow = {
  flow: "newsletter",
  language: "de",
  start: "welcome",
  nodes: {
    welcome: { type: "message", text: "Moin!", next: "done" },
    "subscribe-failed": { type: "message", text: "Das hat leider gerade nicht geklappt.", next: "done" },
    done: { type: "end" },
  },
};

describe("where a problem is, and what it says, in the editor's words", () => {
  it("names a step the validator quotes by id in words, in the UI's language", () => {
    const problem = { rule: "unreachable" as const, severity: "warning" as const, node: "subscribe-failed", pointer: "/nodes/subscribe-failed", message: "Kein Weg vom Start oder einem Menüpunkt führt zu 'subscribe-failed'." };
    const german = placeOf(problem, flow, "de");
    expect(german.message).toBe("Kein Weg vom Start oder einem Menüpunkt führt zu Nachricht „Das hat leider gerade nicht geklappt.“.");
    expect(german.where).toBe("Nachricht „Das hat leider gerade nicht geklappt.“");
    expect(german.node).toBe("subscribe-failed");
    const english = placeOf({ ...problem, message: "No path from the start or a menu item leads to 'subscribe-failed'." }, flow, "en");
    expect(english.message).toBe("No path from the start or a menu item leads to Message “Das hat leider gerade nicht geklappt.”.");
  });

  it("keeps an id that is no step of the flow as written, so the typo can be found", () => {
    const problem = { rule: "ref-unknown" as const, severity: "error" as const, node: "welcome", pointer: "/nodes/welcome/next", message: "Es gibt keinen Schritt 'dnoe'." };
    expect(placeOf(problem, flow, "de").message).toBe("Es gibt keinen Schritt 'dnoe'.");
  });
});
