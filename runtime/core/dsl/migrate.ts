/**
 * Flow file format versions (docs/flows.md#format-versions). Files may carry `format: N`; pure migrations bring
 * older files to the current shape before validation, so engine and editor see one shape.
 * Format 1 is the first, so there is nothing to migrate yet: a migration from N to N+1 is
 * added to `migrations` when format 2 appears.
 */
export const currentFormat = 1;

type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

/** `migrations[n]` turns a format-n document into format n+1. */
const migrations: Readonly<Record<number, Migration>> = {};

export type MigrationResult = { document: Record<string, unknown> } | { unsupportedFormat: string };

export function migrateFlowDocument(document: Record<string, unknown>): MigrationResult {
  const declared = document.format ?? 1;
  if (typeof declared !== "number" || !Number.isInteger(declared) || declared < 1 || declared > currentFormat) {
    return { unsupportedFormat: String(declared) };
  }
  let migrated = document;
  for (let format = declared; format < currentFormat; format++) {
    const migration = migrations[format];
    if (migration) migrated = migration(migrated);
  }
  return { document: migrated };
}
