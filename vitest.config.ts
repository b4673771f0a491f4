import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Team tests sign people in: every password check is a deliberate scrypt run (~0.1 s alone,
    // several times that on a loaded two-core CI machine), so the 5 s default is too tight.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Browser tests poll the page for the result of a click; under the same load a page may take
    // longer than the 1 s default to settle.
    expect: { poll: { timeout: 10_000 } },
  },
});
