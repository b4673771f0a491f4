/**
 * The one way the widget builds DOM: elements, attributes and text nodes. Strings become text,
 * never markup, so nothing from a flow or a user can inject HTML (no innerHTML anywhere).
 */

type Child = Node | string | false | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, "");
    else if (typeof value === "string") element.setAttribute(name, value);
  }
  for (const child of children) if (child !== false && child !== undefined) element.append(child);
  return element;
}

/** Text only a screen reader announces (e.g. who said a message). */
export function srOnly(text: string): HTMLSpanElement {
  return h("span", { class: "sr" }, text);
}
