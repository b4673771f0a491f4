/**
 * Debian's Chromium driven by playwright-core, for every browser test and benchmark (widget and
 * editor). The flags keep it from reaching out to Google's services, which this machine's closed
 * network refuses.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

/** Browser tests always run in CI (`.ci/run` installs Chromium); elsewhere only where it is installed. */
export const skipBrowserTests = !process.env.CI && !existsSync(chromiumPath);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
