/**
 * `npm run pack:cli`: packs the flow-validation package that `npm run build:runtime` wrote to
 * dist/package/ (runtime/cli/build-dist.ts) into dist/botschaft-<version>.tgz, the file a flow
 * repository installs (docs/ci.md#installing-the-validator). Prints what it holds, then the
 * tarball's absolute path as the last line, for scripts: `npm install --save-dev "$(npm run -s pack:cli | tail -1)"`.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const distDir = join(root, "dist");

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
}

const output = execFileSync("npm", ["pack", "--json", "--pack-destination", distDir], {
  cwd: join(distDir, "package"),
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
  shell: process.platform === "win32",
});
const [result] = JSON.parse(output) as PackResult[];
if (!result) throw new Error("npm pack reported no tarball");
const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
process.stdout.write(`${result.entryCount} files, ${kB(result.size)} packed, ${kB(result.unpackedSize)} unpacked, no dependencies\n${join(distDir, result.filename)}\n`);
