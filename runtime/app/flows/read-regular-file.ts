/**
 * Reads a flow file only if it is a regular file itself, never through a symbolic link: a link
 * in `flows/` could otherwise hand the editor's file API, or publishing at start, any file the
 * process can read (docs/security.md#crafted-flow-files). `O_NOFOLLOW` makes the refusal part of
 * the open, so a link swapped in after a check is refused too.
 */
import { constants } from "node:fs";
import { lstat, open } from "node:fs/promises";

export class NotARegularFile extends Error {
  override readonly name = "NotARegularFile";
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === "object" && error !== null && "code" in error && codes.includes(String(error.code));
}

/** The file's text; `undefined` when there is no such file. Throws `NotARegularFile` for a symbolic link, a directory or a device. */
export async function readRegularFile(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NOFOLLOW is missing on Windows; there a check before the open has to do.
    if (constants.O_NOFOLLOW === undefined && (await lstat(path)).isSymbolicLink()) throw new NotARegularFile(`${path} is a symbolic link`);
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (error instanceof NotARegularFile) throw error;
    if (hasCode(error, "ENOENT")) return undefined;
    // Linux answers ELOOP for a link under O_NOFOLLOW; some systems EMLINK or EFTYPE.
    if (hasCode(error, "ELOOP", "EMLINK", "EFTYPE", "EISDIR")) throw new NotARegularFile(`${path} is not a regular file`);
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new NotARegularFile(`${path} is not a regular file`);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
