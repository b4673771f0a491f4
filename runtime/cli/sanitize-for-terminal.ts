// Line breaks, C0 and C1 controls (ESC starts terminal escape sequences), and the bidirectional
// overrides and isolates of "Trojan Source" attacks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const unsafeCharacters = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes untrusted text (messages quoting flow content, file names, flow titles) safe to print as
 * one line: line breaks become spaces, other control characters become visible `\u{1b}` escapes
 * instead of being interpreted by the terminal or the CI log viewer.
 */
export function sanitizeForTerminal(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(unsafeCharacters, (character) => `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`);
}
