/**
 * The flow and knowledge-base checks compiled ahead of time. From source there are none and
 * `schema-check.ts` compiles them with ajv on first use (about 100 ms, most of a one-file
 * `botschaft validate`). The build (`runtime/cli/build-dist.ts`) replaces this module with ajv's
 * standalone code for the same schemas and options, so the compiled CLI and runtime skip that.
 */
import type { AnyValidateFunction } from "ajv/dist/core.js";

export const precompiledFlowValidator: AnyValidateFunction | undefined = undefined;
export const precompiledKnowledgeBaseValidator: AnyValidateFunction | undefined = undefined;
