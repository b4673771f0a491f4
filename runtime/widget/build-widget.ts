/**
 * Builds the widget in memory with the same Vite configuration as `npm run build:widget`, for
 * tests and the bench: they need the real bundle without depending on a `dist/` left by someone.
 */
import { build, type Rolldown } from "vite";
import { widgetViteConfig } from "./vite-options.ts";
import { type WidgetAssets, widgetAssets } from "./widget-assets.ts";

export async function buildWidget(): Promise<WidgetAssets> {
  const config = widgetViteConfig();
  const result = await build({ ...config, build: { ...config.build, write: false, emptyOutDir: false } });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const files = outputs.flatMap((output) => output.output);
  const source = (name: string) => {
    const file = files.find((entry) => entry.fileName === name);
    if (!file) throw new Error(`The widget build produced no ${name}.`);
    return file.type === "chunk" ? file.code : Buffer.from(file.source);
  };
  return widgetAssets(source("widget.js"), source("widget.css"));
}
