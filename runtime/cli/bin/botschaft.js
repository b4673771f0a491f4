#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx's loader compiles `.ts` modules on import.
import { register } from "tsx/esm/api";

register();
await import("../main.ts");
