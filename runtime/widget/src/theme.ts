/**
 * Theme values shared by the snippet generator (server) and the widget (browser): colours are
 * `#rrggbb` only, and the text on the accent colour is black or white, whichever contrasts more,
 * so a site owner's colour choice cannot make the buttons unreadable (WCAG 1.4.3).
 */

export const defaultAccent = "#0b5cad";

/** `#rgb` or `#rrggbb`, lower-cased to `#rrggbb`; anything else is undefined. */
export function normaliseColour(value: string | undefined): string | undefined {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value?.trim() ?? "");
  if (!match?.[1]) return undefined;
  const hex = match[1].toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex}`;
}

function luminance(colour: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(colour.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The text colour for buttons on the accent colour. */
export function onAccent(accent: string): string {
  return contrastRatio(accent, "#ffffff") >= contrastRatio(accent, "#111111") ? "#ffffff" : "#111111";
}

/** Only `https:` addresses become links or images; anything else is dropped. */
export function httpsUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export type WidgetLanguage = "de" | "en";
export type WidgetPosition = "right" | "left" | "inline";
