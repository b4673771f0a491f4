/**
 * The built widget (one script, one stylesheet) as the runtime serves it: held in memory with a
 * content hash for the ETag and for Subresource Integrity, and gzipped once up front.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** Where `npm run build:widget` writes the bundle. */
// Spelt from the repository root so that it holds from runtime/widget/ and from the compiled dist/runtime/ alike.
export const widgetDistDir = fileURLToPath(new URL("../../runtime/widget/dist/", import.meta.url));

export interface WidgetAsset {
  body: Buffer;
  gzipped: Buffer;
  contentType: string;
  etag: string;
  /** `sha384-…`, for a site that pins the script with `integrity`. */
  integrity: string;
}

export interface WidgetAssets {
  js: WidgetAsset;
  css: WidgetAsset;
}

function asset(body: Buffer, contentType: string): WidgetAsset {
  return {
    body,
    gzipped: gzipSync(body, { level: 9 }),
    contentType,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    integrity: `sha384-${createHash("sha384").update(body).digest("base64")}`,
  };
}

export function widgetAssets(js: string | Buffer, css: string | Buffer): WidgetAssets {
  return { js: asset(Buffer.from(js), "text/javascript; charset=utf-8"), css: asset(Buffer.from(css), "text/css; charset=utf-8") };
}

/** Reads `widget.js` and `widget.css` from a build directory; undefined when it was never built. */
export async function loadWidgetAssets(dir: string): Promise<WidgetAssets | undefined> {
  try {
    const [js, css] = await Promise.all([readFile(join(dir, "widget.js")), readFile(join(dir, "widget.css"))]);
    return widgetAssets(js, css);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
