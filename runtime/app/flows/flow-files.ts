/**
 * The flow files the editor works on (`flows/<id>.yaml`): listed with a content hash, read,
 * written atomically (temp file + rename) and only when the caller saw the current content
 * (`If-Match`), so a second tab or a `git pull` under the editor is never silently overwritten.
 * Only regular files are listed, read or written, never a symbolic link; a new name is created
 * exclusively (a hard link of the finished temp file, which fails if the name exists), so a
 * rename or copy never overwrites a file and two concurrent renames leave one file.
 */
import { randomBytes } from "node:crypto";
import { link, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { AppError } from "../app-error.ts";
import { contentVersion } from "./flow-catalog.ts";
import { NotARegularFile, readRegularFile } from "./read-regular-file.ts";

/** File ids are flow ids: kebab-case, which also rules out any path. */
export const fileIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface FlowFile {
  id: string;
  hash: string;
  /** The flow's `title`, when its top level has a plain one: what lists show people instead of the id. */
  title?: string;
}

/** The top-level `title:` of a flow file, read from its one line (the list does not parse whole files). */
export function titleOfFlowText(text: string): string | undefined {
  const line = /^title:[ \t]*(.+)$/m.exec(text)?.[1];
  if (line === undefined) return undefined;
  try {
    const value: unknown = parseDocument(`title: ${line}`).get("title");
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  } catch {
    return undefined;
  }
}

export function checkFileId(id: string): string {
  if (!fileIdPattern.test(id) || id.length > 80) throw new AppError("bad-request", "A flow id uses lower-case letters, digits and single dashes (e.g. callback-request).");
  return id;
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === code;
}

/** Replaces the value of the top-level `flow:` key in place, so nothing else of the text changes. */
export function withFlowId(text: string, id: string): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const node = doc.get("flow", true) as { range?: [number, number, number] } | undefined;
  if (!node?.range) return `flow: ${id}\n${text}`;
  return text.slice(0, node.range[0]) + id + text.slice(node.range[1]);
}

export class FlowFiles {
  /** Writes to one file run one after another, so the If-Match check and the write are atomic here. */
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * @param suffix What follows the id in a file's name: `.yaml` for flows, `.faq.yaml` for the
   * knowledge bases beside them (a flow listing never shows those: `service.faq` is no id).
   */
  constructor(
    readonly directory: string,
    readonly suffix = ".yaml",
  ) {}

  private path(id: string): string {
    return join(this.directory, `${checkFileId(id)}${this.suffix}`);
  }

  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const result = previous.then(work, work);
    const settled = result.catch(() => undefined);
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return result;
  }

  /** Both files' queues, always taken in the same order, so two operations on a pair cannot wait for each other. */
  private exclusiveBoth<T>(first: string, second: string, work: () => Promise<T>): Promise<T> {
    const [a, b] = [first, second].sort() as [string, string];
    return a === b ? this.exclusive(a, work) : this.exclusive(a, () => this.exclusive(b, work));
  }

  async list(): Promise<FlowFile[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.directory, { withFileTypes: true });
    } catch (error) {
      if (hasCode(error, "ENOENT")) return [];
      throw error;
    }
    // Regular files only: a symbolic link is neither listed nor followed.
    const ids = entries
      .filter((entry) => entry.isFile() && entry.name.endsWith(this.suffix) && fileIdPattern.test(entry.name.slice(0, -this.suffix.length)))
      .map((entry) => entry.name.slice(0, -this.suffix.length))
      .sort();
    const files = await Promise.all(ids.map(async (id) => ({ id, text: await this.readOrUndefined(id).catch(() => undefined) })));
    return files.flatMap(({ id, text }) => {
      if (text === undefined) return [];
      const title = titleOfFlowText(text);
      return [title === undefined ? { id, hash: contentVersion(text) } : { id, hash: contentVersion(text), title }];
    });
  }

  /** Every file's text by id, for handing the knowledge bases beside a flow to its check. */
  async readAll(): Promise<Record<string, string>> {
    const texts: Record<string, string> = {};
    for (const { id } of await this.list()) {
      const text = await this.readOrUndefined(id).catch(() => undefined);
      if (text !== undefined) texts[id] = text;
    }
    return texts;
  }

  private async readOrUndefined(id: string): Promise<string | undefined> {
    try {
      return await readRegularFile(this.path(id));
    } catch (error) {
      if (error instanceof NotARegularFile) {
        throw new AppError("bad-request", `The flow file '${id}' is a symbolic link or not a regular file; the editor reads and writes only regular files in the flows directory.`);
      }
      throw error;
    }
  }

  async read(id: string): Promise<{ text: string; hash: string }> {
    const text = await this.readOrUndefined(id);
    if (text === undefined) throw new AppError("not-found", `There is no flow file '${id}'.`);
    return { text, hash: contentVersion(text) };
  }

  private async writeTemporary(id: string, text: string): Promise<string> {
    const temporary = join(this.directory, `.${id}.${randomBytes(6).toString("hex")}.tmp`);
    await writeFile(temporary, text, { encoding: "utf8", flag: "wx" });
    return temporary;
  }

  /** Replaces an existing file in one step (the rename replaces a link itself, never its target). */
  private async replace(id: string, text: string): Promise<void> {
    const temporary = await this.writeTemporary(id, text);
    try {
      await rename(temporary, this.path(id));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Creates a file that must not exist yet: the finished text appears under its name at once, or not at all. */
  private async create(id: string, text: string): Promise<void> {
    const temporary = await this.writeTemporary(id, text);
    try {
      await link(temporary, this.path(id));
    } catch (error) {
      if (hasCode(error, "EEXIST")) throw this.conflict(id);
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].some((code) => hasCode(error, code))) throw error;
      // A file system without hard links: still an exclusive create, though not in one step.
      await writeFile(this.path(id), text, { encoding: "utf8", flag: "wx" }).catch((writeError: unknown) => {
        throw hasCode(writeError, "EEXIST") ? this.conflict(id) : writeError;
      });
    } finally {
      await rm(temporary, { force: true });
    }
  }

  private conflict(id: string): AppError {
    return new AppError("conflict", `The file '${id}' was changed elsewhere since you opened it (another tab or a git pull). Reload it before saving.`);
  }

  /**
   * Saves a file. `expected` is the hash the caller last saw, or `null` to create a new file;
   * anything else on disk is a conflict.
   */
  save(id: string, text: string, expected: string | null): Promise<{ hash: string }> {
    checkFileId(id);
    return this.exclusive(id, async () => {
      const current = await this.readOrUndefined(id);
      if (expected === null ? current !== undefined : current === undefined || contentVersion(current) !== expected) throw this.conflict(id);
      await (expected === null ? this.create(id, text) : this.replace(id, text));
      return { hash: contentVersion(text) };
    });
  }

  remove(id: string, expected: string): Promise<void> {
    checkFileId(id);
    return this.exclusive(id, async () => {
      const current = await this.readOrUndefined(id);
      if (current === undefined) throw new AppError("not-found", `There is no flow file '${id}'.`);
      if (contentVersion(current) !== expected) throw this.conflict(id);
      await rm(this.path(id));
    });
  }

  /** Copies a file under a new id (with the `flow:` id changed to match); keeps the original. */
  async copy(from: string, to: string): Promise<{ hash: string }> {
    const { text } = await this.read(from);
    return this.save(to, withFlowId(text, to), null);
  }

  /**
   * Moves a file to a new id (with the `flow:` id changed to match) while holding both ids: the
   * new file is created exclusively, then the old one removed. Of two renames of one file the
   * second finds it gone; a rename onto an existing file is a conflict.
   */
  rename(from: string, to: string, expected: string): Promise<{ hash: string }> {
    checkFileId(from);
    checkFileId(to);
    return this.exclusiveBoth(from, to, async () => {
      const current = await this.readOrUndefined(from);
      if (current === undefined) throw new AppError("not-found", `There is no flow file '${from}'.`);
      if (contentVersion(current) !== expected) throw this.conflict(from);
      const text = withFlowId(current, to);
      await this.create(to, text);
      try {
        await unlink(this.path(from));
      } catch (error) {
        // Never two copies: without the old file gone, the new one goes again.
        await unlink(this.path(to)).catch(() => undefined);
        throw error;
      }
      return { hash: contentVersion(text) };
    });
  }

  async exists(): Promise<boolean> {
    try {
      return (await stat(this.directory)).isDirectory();
    } catch {
      return false;
    }
  }
}
