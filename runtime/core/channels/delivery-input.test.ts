import { describe, expect, it } from "vitest";
import { inputFromPayload, inputFromText } from "./delivery-input.ts";

describe("button payloads", () => {
  it("turns choice, menu and number payloads into ordinary engine events", () => {
    expect(inputFromPayload("c:Rückruf anfordern")).toEqual({ kind: "event", event: { type: "choice", value: "Rückruf anfordern" } });
    expect(inputFromPayload("m:my-data")).toEqual({ kind: "event", event: { type: "menu", item: "my-data" } });
    expect(inputFromPayload("t:3")).toEqual({ kind: "event", event: { type: "text", text: "3" } });
    expect(inputFromPayload("GET_STARTED")).toEqual({ kind: "start" });
    expect(inputFromPayload("anything else")).toEqual({ kind: "event", event: { type: "text", text: "anything else" } });
  });
});

describe("keywords", () => {
  it.each([
    ["Menü", { kind: "show-menu" }],
    [" menu! ", { kind: "show-menu" }],
    ["Daten", { kind: "event", event: { type: "menu", item: "my-data" } }],
    ["MY DATA", { kind: "event", event: { type: "menu", item: "my-data" } }],
    ["Stop", { kind: "event", event: { type: "menu", item: "unsubscribe" } }],
    ["Datenschutz", { kind: "event", event: { type: "menu", item: "privacy" } }],
    ["imprint", { kind: "event", event: { type: "menu", item: "imprint" } }],
  ])("reads %j as a menu keyword", (text, input) => {
    expect(inputFromText(text)).toEqual(input);
  });

  it("reads no name of Object.prototype as a keyword", () => {
    for (const text of ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty", "__defineGetter__"]) {
      expect(inputFromText(text)).toEqual({ kind: "event", event: { type: "text", text } });
    }
  });

  it("leaves any other text, also one containing a keyword, to the flow", () => {
    expect(inputFromText("Bitte stoppen Sie nicht")).toEqual({ kind: "event", event: { type: "text", text: "Bitte stoppen Sie nicht" } });
    expect(inputFromText("Meine Daten sind falsch")).toEqual({ kind: "event", event: { type: "text", text: "Meine Daten sind falsch" } });
  });
});
