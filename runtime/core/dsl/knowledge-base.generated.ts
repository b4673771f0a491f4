/* eslint-disable */
// GENERATED FILE — do not edit. Source: schemas/knowledge-base.schema.json.
// Regenerate with `npm run generate`; `npm test` fails when this file drifts.

/**
 * A knowledge base for the `faq` step (`flows/<name>.faq.yaml`): questions visitors ask in their own words and the answer to each. Add `# yaml-language-server: $schema=../schemas/knowledge-base.schema.json` as the first line for completion and hovers in VS Code.
 */
export interface KnowledgeBase {
  /**
   * The language of the questions and answers; it picks the stemmer, the stop words and the built-in colloquial synonyms.
   */
  language: "de" | "en";
  /**
   * A human-readable title shown in the editor.
   */
  title?: string;
  /**
   * Optional notes for the team; never shown to visitors.
   */
  description?: string;
  /**
   * Words that mean the same in this knowledge base, one list per meaning (e.g. `[Akku, Batterie]`); they add to the built-in colloquial synonyms.
   *
   * @maxItems 500
   */
  synonyms?: [string, string, ...string[]][];
  thresholds?: FaqThresholds;
  /**
   * The questions the knowledge base answers, one entry per answer.
   *
   * @minItems 1
   * @maxItems 10000
   */
  entries: [FaqEntry, ...FaqEntry[]];
}
/**
 * How sure the matcher must be (a score from 0 to 1): at `answer` or above it answers, at `suggest` or above it offers the best entries as buttons, below it goes to the fallback.
 */
export interface FaqThresholds {
  /**
   * The lowest score at which the best entry is answered directly.
   */
  answer?: number;
  /**
   * The lowest score at which entries are offered as buttons.
   */
  suggest?: number;
  /**
   * How far the best entry must lead the second to be answered directly; closer entries are offered as buttons instead.
   */
  margin?: number;
}
/**
 * One answer and the ways visitors ask for it.
 */
export interface FaqEntry {
  /**
   * The entry's id: kebab-case, unique in the knowledge base (`opening-hours`). Evaluation sets and the editor's review list name entries by it.
   */
  id: string;
  /**
   * The button label when the entry is offered among others; the first question when missing.
   */
  title?: string;
  /**
   * Ways to ask for this answer, in the visitors' words: short and long, formal and colloquial.
   *
   * @minItems 1
   * @maxItems 200
   */
  questions: [string, ...string[]];
  /**
   * The answer the bot sends. Plain text: never rendered as HTML.
   */
  answer: string;
  /**
   * Links sent after the answer.
   *
   * @maxItems 5
   */
  links?: {
    /**
     * The link's text.
     */
    label: string;
    /**
     * The address; must be `https:`.
     */
    url: string;
  }[];
  /**
   * The step of the flow to continue with after this answer; the `faq` step's `next` when missing.
   */
  next?: string;
}
