import { readdir } from "node:fs/promises";
import { join } from "node:path";

export function isFlowFileName(name: string): boolean {
  return name.endsWith(".yaml") || name.endsWith(".yml");
}

/** Compares by UTF-16 code units: the same order on every machine, whatever its locale. */
function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The `*.yaml` and `*.yml` files below `directory`, depth-first in name order. Skips
 * `node_modules` and dot-entries (`.git`, `.github/workflows/*.yml`, `.pre-commit-config.yaml`),
 * which hold other tools' YAML. Symbolic links to directories are not followed, so a link cycle
 * cannot make the walk endless; a symbolic link named like a flow file is returned and checked.
 */
export async function findFlowFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort(byName)) {
    if (entry.name.startsWith(".")) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") files.push(...(await findFlowFiles(path)));
    } else if (isFlowFileName(entry.name)) {
      files.push(path);
    }
  }
  return files;
}
