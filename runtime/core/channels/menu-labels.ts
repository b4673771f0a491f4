/** The built-in menu items' labels as the engine words them, for menus registered ahead of any conversation. */
import { botTexts } from "../engine/bot-texts.ts";
import type { Language } from "../validate/problem.ts";

export function botMenuLabels(language: Language): Record<"privacy" | "imprint" | "my-data" | "unsubscribe", string> {
  return { ...botTexts(language).menu };
}
