import { builtInMenuItems } from "../../dsl/flow.ts";
import { message } from "../messages.ts";
import type { Rule } from "./rule.ts";

/** docs/privacy.md#fixed-main-menu: privacy, imprint, my-data and unsubscribe are in every menu. */
export const menuRequired: Rule = ({ flow, lang }) => {
  const present = new Set(flow.menu ?? []);
  const missing = builtInMenuItems.filter((item) => !present.has(item));
  if (missing.length === 0) return [];
  return [
    {
      rule: "menu-required",
      severity: "error",
      pointer: flow.menu === undefined ? "" : "/menu",
      message: message("menu-required", { missing }, lang),
    },
  ];
};
