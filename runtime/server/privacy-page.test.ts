import { readFileSync } from "node:fs";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime } from "../testing/create-test-runtime.ts";
import { markdownToHtml } from "./privacy-page.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

const example = (id: string) => ({ id, yaml: readFileSync(new URL(`../../examples/${id}.yaml`, import.meta.url), "utf8") });
const golden = (name: string) => new URL(`../testing/golden/privacy/${name}`, import.meta.url).pathname;

async function started() {
  const runtime = await createTestRuntime({
    logLevel: "silent",
    flows: [example("callback-request"), example("demo-request"), example("appointment-booking")],
    // The callback flow also runs on Telegram and WhatsApp: their platforms are recipients.
    messengersRunning: (flowId) => (flowId === "callback-request" ? ["telegram", "whatsapp"] : []),
  });
  runtimes.push(runtime);
  return runtime;
}

describe("the served privacy texts", () => {
  it("serves each published flow's policy passage as Markdown in German and English, as the golden files say", async () => {
    const runtime = await started();
    for (const flow of ["callback-request", "demo-request", "appointment-booking"]) {
      for (const lang of ["de", "en"]) {
        const response = await request(runtime.app).get(`/privacy/${flow}?lang=${lang}`).set("accept", "text/markdown").expect(200);
        expect(response.headers["content-type"]).toBe("text/markdown; charset=utf-8");
        await expect(response.text).toMatchFileSnapshot(golden(`${flow}.${lang}.md`));
      }
    }
  });

  it("names the Art. 7(3) rule, the messenger platforms with their countries and the opt-in browser storage", async () => {
    const runtime = await started();
    const de = (await request(runtime.app).get("/privacy/callback-request").set("accept", "text/markdown").expect(200)).text;
    expect(de).toContain("Der Widerruf berührt nicht die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung (Art. 7 Abs. 3 DSGVO).");
    expect(de).toContain("- Telegram: Telegram FZ-LLC, Vereinigte Arabische Emirate");
    expect(de).toContain("- WhatsApp: Meta Platforms Ireland Ltd., Irland");
    expect(de).toContain("„Diesen Chat auf diesem Gerät merken“");
    const other = (await request(runtime.app).get("/privacy/demo-request?lang=en").set("accept", "text/markdown").expect(200)).text;
    expect(other).not.toContain("Telegram");
  });

  it("serves HTML by default, in the flow's language, and refuses unknown flows and languages", async () => {
    const runtime = await started();
    const page = await request(runtime.app).get("/privacy/callback-request").expect(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain("<h2>Chatbot: Rückruf anfordern</h2>");
    expect(page.text).toContain("<li><strong>Rückruf zu Ihrem Anliegen</strong>: Name, Telefonnummer</li>");
    await request(runtime.app).get("/privacy/nothing-here").expect(404);
    await request(runtime.app).get("/privacy/callback-request?lang=fr").expect(400);
  });

  it("escapes markup in the HTML", () => {
    expect(markdownToHtml("## <b>x</b>\n\n- **a** <script>\n\n| a | b |\n| --- | --- |\n| x \\| y | <i> |")).toBe(
      "<h2>&lt;b&gt;x&lt;/b&gt;</h2>\n<ul><li><strong>a</strong> &lt;script&gt;</li></ul>\n<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>x | y</td><td>&lt;i&gt;</td></tr></tbody></table>",
    );
  });
});
