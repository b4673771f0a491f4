import type { Request } from "express";

/** The token of an `Authorization: Bearer …` header, if there is one. */
export function bearerTokenOf(request: Request): string | undefined {
  const header = request.get("authorization");
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
}
