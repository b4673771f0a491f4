/**
 * The app's own texts of one UI language, and a check that a screen of the other language shows
 * none of them: every visible text node of the page is collected (flow content in <code>, the
 * YAML editor and typed input values aside) and searched for the catalog's strings.
 */
import type { Page } from "playwright-core";
import { fieldLabels, valueLabels } from "../src/i18n/field-labels.ts";
import { catalogKeys, type MessageKey, t } from "../src/i18n/messages.ts";
import type { UiLanguage } from "../src/i18n/ui-language.ts";
import { nodePresentations } from "../src/nodes/node-presentations.ts";

/** Fragments of the app's texts in `lang` that differ from the other language's, long enough to be telling. */
export function appTexts(lang: UiLanguage): string[] {
  const other: UiLanguage = lang === "de" ? "en" : "de";
  const pairs: [string, string][] = [];
  for (const key of catalogKeys.en as MessageKey[]) pairs.push([t(lang, key), t(other, key)]);
  for (const label of Object.values(fieldLabels)) {
    pairs.push([label[lang], label[other]]);
    pairs.push([(lang === "de" ? label.helpDe : label.helpEn) ?? "", (lang === "de" ? label.helpEn : label.helpDe) ?? ""]);
  }
  for (const values of Object.values(valueLabels)) for (const value of Object.values(values)) pairs.push([value[lang], value[other]]);
  for (const presentation of Object.values(nodePresentations)) pairs.push([presentation.title[lang], presentation.title[other]]);
  const fragments = new Set<string>();
  for (const [text, translation] of pairs) {
    if (text === translation) continue;
    // Placeholders split a text; the longest literal piece stands for it.
    const piece = text
      .split(/\{\w+\}/)
      .map((part) => part.trim())
      .sort((a, b) => b.length - a.length)[0];
    if (piece && piece.length >= 8 && !translation.includes(piece)) fragments.add(piece);
  }
  return [...fragments];
}

/** Everyday English words that have no place in a German screen's own texts. */
const englishWords = ["the", "and", "with", "your", "please", "step", "node", "click", "field", "value", "must", "missing", "here", "ended", "webhook", "schema", "press", "select", "zoom", "toggle", "view", "map", "panel"];

/**
 * The page's visible texts and what screen readers and tooltips say: text nodes, placeholders,
 * titles, labels and the descriptions elements point to, without code, the YAML editor and
 * content marked as not the app's (`translate="no"`: a flow's title, its steps' ids and texts).
 */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const hidden = (element: Element) => element.closest("code, pre, .cm-editor, script, style, [aria-hidden='true'], [translate='no'], .react-flow__attribution") !== null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (!parent || !text || hidden(parent)) continue;
      const box = parent.getBoundingClientRect();
      const style = getComputedStyle(parent);
      if ((box.width === 0 && box.height === 0) || style.visibility === "hidden" || style.display === "none") continue;
      if (parent.closest("option") && !parent.closest("select")) continue;
      texts.push(text);
    }
    // Descriptions for screen readers are often not displayed themselves; they count all the same.
    for (const element of Array.from(document.querySelectorAll("[aria-describedby]"))) {
      if (hidden(element)) continue;
      for (const id of (element.getAttribute("aria-describedby") ?? "").split(/\s+/)) {
        const text = id ? document.getElementById(id)?.textContent?.trim() : undefined;
        if (text) texts.push(text);
      }
    }
    for (const element of Array.from(document.querySelectorAll("[placeholder], [title], [aria-label]"))) {
      if (hidden(element)) continue;
      for (const name of ["placeholder", "title", "aria-label"]) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts;
  });
}

/** The app texts of the other language, and (on German screens) English words, found on the page. */
export async function foreignTexts(page: Page, lang: UiLanguage, allowed: readonly string[] = []): Promise<string[]> {
  const texts = (await visibleTexts(page)).filter((text) => !allowed.some((allowedText) => text.includes(allowedText)));
  const joined = texts.join("\n");
  const found = appTexts(lang === "de" ? "en" : "de").filter((fragment) => joined.includes(fragment));
  if (lang === "de") {
    for (const text of texts) {
      for (const word of englishWords) if (new RegExp(`(^|[^\\p{L}])${word}([^\\p{L}]|$)`, "iu").test(text)) found.push(`${word}: ${text}`);
    }
  }
  return found;
}
