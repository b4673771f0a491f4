import { describe, expect, it } from "vitest";
import { check, minimalFlow } from "../test-flow-builder.ts";

describe("menu-required", () => {
  it("reports nothing when the menu has the four built-in items, in any order, next to custom ones", () => {
    const shuffled = minimalFlow().menu([
      "unsubscribe",
      { label: "Start", goto: "welcome" },
      "my-data",
      "imprint",
      "privacy",
    ]);
    expect(check(shuffled, "menu-required")).toEqual([]);
  });

  it("reports a menu that lacks unsubscribe, at the menu", () => {
    expect(check(minimalFlow().menu(["privacy", "imprint", "my-data"]))).toEqual([
      {
        rule: "menu-required",
        severity: "error",
        pointer: "/menu",
        message:
          "The main menu lacks 'unsubscribe'; privacy, imprint, my-data and unsubscribe must always be available.",
      },
    ]);
  });

  it.each([
    ["privacy", ["imprint", "my-data", "unsubscribe"]],
    ["imprint", ["privacy", "my-data", "unsubscribe"]],
    ["my-data", ["privacy", "imprint", "unsubscribe"]],
  ] as const)("reports a menu that lacks %s", (lacking, menu) => {
    expect(check(minimalFlow().menu(menu), "menu-required").map((problem) => problem.message)).toEqual([
      `The main menu lacks '${lacking}'; privacy, imprint, my-data and unsubscribe must always be available.`,
    ]);
  });

  it("names every missing item in one problem when the menu has only custom items", () => {
    expect(check(minimalFlow().menu([{ label: "Start", goto: "welcome" }]), "menu-required")).toEqual([
      {
        rule: "menu-required",
        severity: "error",
        pointer: "/menu",
        message:
          "The main menu lacks 'privacy', 'imprint', 'my-data', 'unsubscribe'; privacy, imprint, my-data and unsubscribe must always be available.",
      },
    ]);
  });

  it("reports a flow without a menu at the document itself", () => {
    expect(check(minimalFlow().menu(undefined), "menu-required")).toEqual([
      {
        rule: "menu-required",
        severity: "error",
        pointer: "",
        message:
          "The main menu lacks 'privacy', 'imprint', 'my-data', 'unsubscribe'; privacy, imprint, my-data and unsubscribe must always be available.",
      },
    ]);
  });

  it("explains the problem in German", () => {
    expect(
      check(minimalFlow().menu(["privacy", "imprint"]), "menu-required", "de").map((problem) => problem.message),
    ).toEqual([
      "Im Hauptmenü fehlt 'my-data', 'unsubscribe'; Datenschutz, Impressum, Meine Daten und Abmelden müssen immer erreichbar sein.",
    ]);
  });
});
