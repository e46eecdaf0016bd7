/**
 * A hostile SCP against every output of `dicomtls run` and `dicomtls echo`,
 * end to end: a real TLS server whose certificate subject carries terminal
 * escapes, 8-bit CSI, a bidi override, script markup, Jenkins' attachment
 * syntax and a legal T.61 8-bit name (a TeletexString, which node:crypto
 * refuses to read); whose A-ASSOCIATE-AC echoes AE titles with ESC, NUL and
 * 0xFF and an implementation class UID and version name of markup; and whose
 * C-ECHO-RSP is a failure with an error comment of the same. We run the CLI
 * as a subprocess and read what it wrote: the terminal bytes, results.json
 * (parsed), junit.xml (xmllint against the schema) and report.html (in
 * headless Chromium).
 */
import assert from "node:assert/strict";
import { derValue } from "../src/testing/certificates.ts";
import { spawnDicomtls, unsafeOnTerminal } from "../src/testing/cli.ts";
import { startHostileTextScp } from "../src/testing/hostile_peers.ts";
import { havePeer } from "../src/testing/peers.ts";
import { junitXsdWithFileLine } from "../src/testing/junit_schema.ts";
import { launchChromium } from "../src/testing/browser.ts";

/** What the attacker writes wherever it can: erase, move up, 8-bit CSI, RLO, markup, NUL. */
const HOSTILE = "\x1b[2K\r\x1b[1A\u009b2J\u202Eevil</testcase><script>window.pwned=1</script>]]>\0";
/** Jenkins' attachments plugin copies the file such a line names from the CI agent. */
const ATTACHMENT = "[[ATTACHMENT|/etc/passwd]]";

/** A UTF8String CN, a TeletexString O (M\xFCller ESC [: legal T.61), an attachment line. */
const SUBJECT = [
  `CN=${derValue(0x0c, new TextEncoder().encode(HOSTILE))}`,
  `O=${derValue(0x14, Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x1b, 0x5b))}`,
  `OU=${derValue(0x0c, new TextEncoder().encode(ATTACHMENT))}`,
].join(", ");

/** The AE title it echoes: 16 bytes of ESC, 0xFF, 8-bit CSI, NUL and markup. */
const AE = "\x1b[2J\xff\x9b\0<b>&]]>";

const SUITE = (port: number) =>
  `suite: hostile SCP
peers:
  sut: { role: scp, ae: EVIL, host: 127.0.0.1, port: ${port} }
  harness: { ae: HARNESS, verify: none }
defaults: { timeout: 5s }
cases:
  - name: the C-ECHO succeeds
    expect: { association: accepted, echo: success }
  - name: the peer certificate is the good one
    expect: { tls: established, peer: { subject: "CN=good" } }
`;

Deno.test({
  name:
    "dicomtls run and echo against an SCP whose certificate, AE titles and answers carry escapes, markup and CI syntax keep every output safe and valid",
  // playwright keeps its pipe to the browser open between steps.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-hostile-reports-" });
    const scp = await startHostileTextScp({ subject: SUBJECT, ae: AE, text: HOSTILE + ATTACHMENT });
    try {
      await Deno.writeTextFile(`${dir}/suite.yaml`, SUITE(scp.port));
      const run = await spawnDicomtls([
        "run",
        `${dir}/suite.yaml`,
        "--reports",
        `${dir}/reports`,
        "--verbose",
      ]).output();
      const stderr = new TextDecoder().decode(run.stderr);
      assert.equal(run.code, 1, stderr);

      await t.step("the terminal shows the peer's text escaped, the T.61 name decoded", () => {
        assert.deepEqual(unsafeOnTerminal(run.stdout), [], "stdout");
        assert.deepEqual(unsafeOnTerminal(run.stderr), [], "stderr");
        const shown = new TextDecoder().decode(run.stdout);
        assert.match(shown, /got CN=\\x1B\[2K.*\\x1B\[1A\\x9B2J\\u\{202E\}evil/);
        assert.ok(shown.includes("O=M\xfcller\\x1B["), shown);
      });

      await t.step("results.json parses to the exact values the peer sent", async () => {
        const results = JSON.parse(await Deno.readTextFile(`${dir}/reports/results.json`));
        const [echo, subject] = results.suites[0].cases;
        assert.ok(subject.outcome.tls.peer.subject.includes("M\xfcller\x1b["));
        assert.ok(subject.outcome.tls.peer.subject.includes("\u202Eevil"));
        assert.equal(echo.outcome.association.peerImplementationVersionName, AE);
        // Sent as Latin-1 bytes: U+202E went out as its low byte, "."
        assert.equal(
          echo.outcome.association.peerImplementationClassUid,
          HOSTILE.replace("\u202E", ".") + ATTACHMENT,
        );
      });

      await t.step("junit.xml is valid against the schema and attaches nothing", async () => {
        const xml = await Deno.readTextFile(`${dir}/reports/junit.xml`);
        assert.ok(xml.includes("M\xfcller\\x1B["), "the T.61 name in the evidence");
        assert.ok(!xml.includes("[[ATTACHMENT"), "no attachment line for Jenkins");
        assert.ok(xml.includes("[\\x5BATTACHMENT|/etc/passwd]\\x5D"), "shown, escaped");
        if (!havePeer("xmllint", "libxml2-utils")) return;
        const lint = await new Deno.Command("xmllint", {
          args: [
            "--noout",
            "--schema",
            await junitXsdWithFileLine(dir),
            `${dir}/reports/junit.xml`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const said = new TextDecoder().decode(lint.stderr);
        assert.equal(lint.code, 0, said);
        assert.match(said, /validates/);
      });

      await t.step("report.html runs none of the peer's script and shows its text", async () => {
        if (!havePeer("chromium", "chromium")) return;
        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          const problems: string[] = [];
          page.on("dialog", (d) => problems.push(`dialog: ${d.message()}`));
          page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
          await page.goto(`file://${dir}/reports/report.html`);
          await page.click("#expand");
          const text = (await page.locator("body").textContent())!;
          assert.equal(
            await page.evaluate(() => (globalThis as { pwned?: number }).pwned),
            undefined,
          );
          assert.deepEqual(problems, []);
          assert.ok(text.includes("evil</testcase><script>window.pwned=1</script>]]>"), "as text");
          assert.ok(text.includes("M\xfcller\\x1B["), "the T.61 name");
          assert.ok(text.includes("\\x1B[2J\xff\\x9B\\x00<b>&]]>"), "the echoed AE title");
        } finally {
          await browser.close();
        }
      });

      await t.step("dicomtls echo prints the T.61 subject escaped", async () => {
        const echo = await spawnDicomtls([
          "echo",
          `127.0.0.1:${scp.port}`,
          "--called",
          "EVIL",
          "--verify",
          "none",
          "--timeout",
          "5000",
        ]).output();
        assert.equal(echo.code, 1);
        assert.deepEqual(unsafeOnTerminal(echo.stdout), []);
        const shown = new TextDecoder().decode(echo.stdout);
        assert.match(shown, /^ {2}peer +CN=.*O=M\xfcller\\x1B\[/m);
      });
    } finally {
      await scp.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
