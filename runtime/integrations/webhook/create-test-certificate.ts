/**
 * Test support: a throw-away self-signed certificate for the local HTTPS server the webhook
 * tests talk to. Made with the `openssl` CLI, which the project's machine image ships, so the
 * tests need no certificate library as a dependency.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface TestCertificate {
  key: string;
  cert: string;
}

/** Names the certificate is valid for; `hooks.test` is for tests that simulate DNS answers. */
const subjectAltNames = "DNS:localhost,DNS:hooks.test,IP:127.0.0.1,IP:::1";

/** Creates a P-256 key and a one-day certificate for {@link subjectAltNames}. */
export async function createTestCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), "botschaft-cert-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  try {
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      `subjectAltName=${subjectAltNames}`,
    ]);
    return { key: await readFile(keyPath, "utf8"), cert: await readFile(certPath, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
