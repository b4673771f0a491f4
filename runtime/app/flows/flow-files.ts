/**
 * The flow files the editor works on (`flows/<id>.yaml`): listed with a content hash, read,
 * written atomically (temp file + rename) and only when the caller saw the current content
 * (`If-Match`), so a second tab or a `git pull` under the editor is never silently overwritten.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { AppError } from "../app-error.ts";
import { contentVersion } from "./flow-catalog.ts";

/** File ids are flow ids: kebab-case, which also rules out any path. */
export const fileIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface FlowFile {
  id: string;
  hash: string;
}

export function checkFileId(id: string): string {
  if (!fileIdPattern.test(id) || id.length > 80) throw new AppError("bad-request", "A flow id uses lower-case letters, digits and single dashes (e.g. callback-request).");
  return id;
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
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

  constructor(readonly directory: string) {}

  private path(id: string): string {
    return join(this.directory, `${checkFileId(id)}.yaml`);
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

  async list(): Promise<FlowFile[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const ids = names.filter((name) => name.endsWith(".yaml") && fileIdPattern.test(name.slice(0, -5))).map((name) => name.slice(0, -5)).sort();
    const files = await Promise.all(ids.map(async (id) => ({ id, text: await this.readOrUndefined(id) })));
    return files.flatMap(({ id, text }) => (text === undefined ? [] : [{ id, hash: contentVersion(text) }]));
  }

  private async readOrUndefined(id: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(id), "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(id: string): Promise<{ text: string; hash: string }> {
    const text = await this.readOrUndefined(id);
    if (text === undefined) throw new AppError("not-found", `There is no flow file '${id}'.`);
    return { text, hash: contentVersion(text) };
  }

  private async writeAtomically(id: string, text: string): Promise<void> {
    const target = this.path(id);
    const temporary = join(this.directory, `.${id}.${randomBytes(6).toString("hex")}.tmp`);
    await writeFile(temporary, text, { encoding: "utf8", flag: "wx" });
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
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
      await this.writeAtomically(id, text);
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

  async rename(from: string, to: string, expected: string): Promise<{ hash: string }> {
    const { hash: current } = await this.read(from);
    if (current !== expected) throw this.conflict(from);
    const result = await this.copy(from, to);
    await this.remove(from, expected);
    return result;
  }

  async exists(): Promise<boolean> {
    try {
      return (await stat(this.directory)).isDirectory();
    } catch {
      return false;
    }
  }
}
