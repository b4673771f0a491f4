import { describe, expect, it } from "vitest";
import { eventsOf, locatePointers, offsetOf, parseYaml } from "./parse-yaml.ts";

function locate(text: string, pointers: string[], atKey = false): Record<string, string> {
  const parsed = parseYaml(text);
  if ("failure" in parsed) throw new Error(parsed.failure.reason);
  const located = locatePointers(text, parsed.events ?? eventsOf(text), pointers);
  // Show what starts at each offset: easier to read than numbers.
  return Object.fromEntries(pointers.map((pointer) => [pointer, text.slice(offsetOf(located, pointer, atKey)).split("\n")[0] ?? ""]));
}

describe("locatePointers", () => {
  const text = [
    "flow: demo",
    "menu: [privacy, { label: Hours, goto: hours }]",
    "nodes:",
    "  'quoted/key':",
    "    type: message",
    '    "text": Hallo',
    "  main:",
    "    options:",
    "      - label: A",
    "        next: a",
    "      - { label: B, next: b }",
    "",
  ].join("\n");

  it("finds scalars in block and flow collections, and escaped keys", () => {
    expect(
      locate(text, ["/flow", "/menu/1/goto", "/nodes/quoted~1key/text", "/nodes/main/options/0/next", "/nodes/main/options/1/next"]),
    ).toEqual({
      "/flow": "demo",
      "/menu/1/goto": "hours }]",
      "/nodes/quoted~1key/text": "Hallo",
      "/nodes/main/options/0/next": "a",
      "/nodes/main/options/1/next": "b }",
    });
  });

  it("points at the key of a collection and of a scalar when asked", () => {
    expect(locate(text, ["/nodes/main", "/nodes/main/options"])).toEqual({
      "/nodes/main": "main:",
      "/nodes/main/options": "options:",
    });
    expect(locate(text, ["/nodes/quoted~1key/text"], true)).toEqual({ "/nodes/quoted~1key/text": '"text": Hallo' });
  });

  it("falls back to the nearest existing ancestor", () => {
    expect(locate(text, ["/nodes/main/missing", "/nodes/gone/next", ""])).toEqual({
      "/nodes/main/missing": "main:",
      "/nodes/gone/next": "nodes:",
      "": "flow: demo",
    });
  });

});

describe("parseYaml", () => {
  it("refuses a collection used as a key, which JSON cannot hold", () => {
    const parsed = parseYaml("? [a, b]\n: 1\n");
    expect("failure" in parsed && parsed.failure.code).toBe("yaml-syntax");
  });

  it("keeps dates, yes/no and numbers-looking strings as YAML 1.2 core types", () => {
    const parsed = parseYaml("d: 2024-01-01\nb: yes\nn: 0x1F\nz: ~\n");
    expect("value" in parsed && parsed.value).toEqual({ d: "2024-01-01", b: "yes", n: 31, z: null });
  });

  it("accepts a few aliases that expand modestly", () => {
    const parsed = parseYaml("p: &p { name: X, country: DE }\nq: *p\nr: *p\n");
    expect("value" in parsed && parsed.value).toEqual({
      p: { name: "X", country: "DE" },
      q: { name: "X", country: "DE" },
      r: { name: "X", country: "DE" },
    });
  });
});
