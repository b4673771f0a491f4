import { describe, expect, it } from "vitest";
import { checkKnowledgeBaseSource, isKnowledgeBaseFileName, knowledgeBaseNameFromFileName } from "./check-knowledge-base.ts";

const valid = `language: de
entries:
  - id: opening-hours
    questions: [Wann haben Sie geöffnet?, Öffnungszeiten, Habt ihr samstags auf?]
    answer: Montag bis Freitag von 9 bis 17 Uhr.
`;

const where = (source: string, lang: "de" | "en" = "en") =>
  checkKnowledgeBaseSource(source, { lang }).problems.map((problem) => `${problem.line}:${problem.column} ${problem.severity} ${problem.rule}: ${problem.message}`);

describe("checkKnowledgeBaseSource", () => {
  it("accepts the issue's example", () => {
    expect(checkKnowledgeBaseSource(valid)).toEqual({ knowledgeBase: expect.objectContaining({ language: "de" }), problems: [] });
  });

  it("locates broken YAML by line and column, like a flow's", () => {
    expect(where(`${valid}  - id: x\n    answer: "unterminated\n`)).toEqual(["8:1 error schema: The YAML cannot be read: deficient indentation."]);
  });

  it("makes an entry without an answer an error at that entry, in German too", () => {
    const missing = valid.replace("    answer: Montag bis Freitag von 9 bis 17 Uhr.\n", "");
    expect(where(missing)).toEqual(["3:5 error schema: 'answer' is missing here."]);
    expect(where(missing, "de")).toEqual(["3:5 error schema: 'answer' fehlt hier."]);
  });

  it("refuses an id used twice and warns about questions two entries share or the matcher reads alike", () => {
    const source = `${valid}  - id: opening-hours
    questions: [Öffnungszeiten]
    answer: Doppelt.
  - id: hours
    questions: [wann habt ihr geöffnet, "Öffnungszeiten?", Wann haben Sie geöffnet?]
    answer: Auch doppelt.
`;
    expect(where(source)).toEqual([
      "6:9 error faq-id: The entry id 'opening-hours' is used twice; each entry needs an id of its own.",
      // Under the same id the two count as one entry.
      "7:17 warning faq-duplicate: This entry has this question twice; once is enough.",
      expect.stringMatching(/^10:17 warning faq-duplicate: This question means the same to the matcher as 'Wann haben Sie geöffnet\?'/),
      expect.stringMatching(/^10:41 warning faq-duplicate: This question means the same to the matcher as 'Öffnungszeiten'/),
      "10:60 warning faq-duplicate: This question is already asked in entry 'opening-hours'; the matcher cannot tell the two apart. Keep it in one entry.",
    ]);
  });

  it("says what a knowledge base is when given something else, and checks ids and links by the schema", () => {
    expect(where("- a\n- b\n")).toEqual(["1:1 error schema: This is not a knowledge base: a `.faq.yaml` file is a YAML mapping with `language` and `entries`."]);
    const broken = valid.replace("id: opening-hours", "id: Opening Hours").replace("    answer:", "    links: [{ label: Web, url: http://x.example }]\n    answer:");
    expect(where(broken)).toEqual([
      "3:9 error schema: This is not a valid entry id (kebab-case, e.g. opening-hours).",
      "5:32 error schema: This is not a valid https: address without user:password@.",
    ]);
  });

  it("tells knowledge base files from flow files by name", () => {
    expect(isKnowledgeBaseFileName("flows/service.faq.yaml")).toBe(true);
    expect(isKnowledgeBaseFileName("flows/service.yaml")).toBe(false);
    expect(knowledgeBaseNameFromFileName("flows/service.faq.yml")).toBe("service");
  });
});
