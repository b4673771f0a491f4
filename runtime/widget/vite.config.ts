import { defineConfig } from "vite";
import { widgetViteConfig } from "./vite-options.ts";

export default defineConfig(widgetViteConfig());
