/**
 * The widget's Vite build, shared by `vite.config.ts` (`npm run build:widget`, writes `dist/`)
 * and `buildWidget()` (tests and the bench, in memory): one IIFE script and one stylesheet.
 */
import { fileURLToPath } from "node:url";
import type { InlineConfig } from "vite";
import { widgetDistDir } from "./widget-assets.ts";

const widgetDir = fileURLToPath(new URL(".", import.meta.url));

export function widgetViteConfig(): InlineConfig {
  return {
    configFile: false,
    root: widgetDir,
    logLevel: "warn",
    publicDir: false,
    build: {
      outDir: widgetDistDir,
      emptyOutDir: true,
      target: "es2022",
      minify: true,
      sourcemap: false,
      lib: {
        entry: fileURLToPath(new URL("./src/main.ts", import.meta.url)),
        name: "BotschaftWidgetBundle",
        formats: ["iife"],
        fileName: () => "widget.js",
        cssFileName: "widget",
      },
    },
  };
}
