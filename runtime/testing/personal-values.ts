/**
 * Searching files for personal values the way an attacker with a copy of the data would: in the
 * clear, as hex, and inside base64 or base64url text at any byte alignment. Used by the tests
 * that check what the data directory and its copies hold (docs/privacy.md#security-of-processing).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Every way a value can show up in base64 or base64url inside a longer encoded text: the
 * characters that depend on the value's bytes alone, for each of the three byte alignments.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms = [value, bytes.toString("hex")];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const core = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    forms.push(core, core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...new Set(forms)];
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** `<value> as <form> in <path>` for each of `values` found in any file under `directory`. */
export async function findPersonalValues(directory: string, values: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of await filesUnder(directory)) {
    let raw: string;
    try {
      raw = (await readFile(path)).toString("latin1");
    } catch (error) {
      // A store that is running renames its temporary files away.
      if (error instanceof Error && "code" in error && error.code === "ENOENT") continue;
      throw error;
    }
    for (const value of values) {
      for (const form of encodedForms(value)) if (raw.includes(form)) found.push(`${value} as ${form} in ${path}`);
    }
  }
  return found;
}
