/** The chat widget built once per process into a fresh folder, for browser tests that open the demo page beside the editor. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { loadWidgetAssets, type WidgetAssets } from "../widget/widget-assets.ts";

let built: Promise<WidgetAssets> | undefined;

export function builtWidget(): Promise<WidgetAssets> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), "botschaft-widget-dist-"));
    await build({ configFile: fileURLToPath(new URL("../widget/vite.config.ts", import.meta.url)), logLevel: "warn", build: { outDir, emptyOutDir: true } });
    const assets = await loadWidgetAssets(outDir);
    if (!assets) throw new Error(`the widget build wrote nothing to ${outDir}`);
    return assets;
  })();
  return built;
}
