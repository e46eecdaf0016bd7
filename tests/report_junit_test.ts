import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { renderJunit } from "../src/report/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { fullRun } from "../src/testing/full_run.ts";
import { generateRun } from "../src/testing/generated_run.ts";
import { sampleRun } from "../src/testing/sample_run.ts";
import { havePeer } from "../src/testing/peers.ts";
import { JUNIT_10_XSD, junitXsdWithFileLine } from "../src/testing/junit_schema.ts";
import { ticketRun } from "../src/testing/ticket_run.ts";
import { runDicomtls } from "../src/testing/cli.ts";

const ROOT = new URL("..", import.meta.url).pathname;

const dir = await Deno.makeTempDir({ prefix: "dicomtls-junit-" });
const XSD_FILE_LINE = await junitXsdWithFileLine(dir);
const hasXmllint = havePeer("xmllint", "libxml2-utils");

async function xmllint(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command("xmllint", { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

async function write(name: string, run: RunResult, fileLine = true): Promise<string> {
  const file = `${dir}/${name}${fileLine ? "" : "-strict"}.xml`;
  await Deno.writeTextFile(file, renderJunit(run, { fileLine }));
  return file;
}

async function xpath(file: string, expr: string): Promise<string> {
  const r = await xmllint(["--xpath", expr, file]);
  strictEqual(r.code, 0, r.err);
  return r.out.trim();
}

const RUNS = [
  ["sample", sampleRun()],
  ["full", fullRun() as RunResult],
  ["ticket", ticketRun()],
  ["big", generateRun({ cases: 2000 })],
] as const;

Deno.test({
  name: "renderJunit() with fileLine: false is valid against the Jenkins xunit junit-10.xsd",
  ignore: !hasXmllint,
  async fn() {
    for (const [name, run] of RUNS) {
      const r = await xmllint(["--noout", "--schema", JUNIT_10_XSD, await write(name, run, false)]);
      strictEqual(r.code, 0, `${name}: ${r.err}`);
      ok(r.err.includes("validates"), r.err);
    }
  },
});

Deno.test({
  name: "renderJunit() is junit-10.xsd plus file and line on each testcase, and nothing else",
  ignore: !hasXmllint,
  async fn() {
    for (const [name, run] of RUNS) {
      const file = await write(name, run);
      const r = await xmllint(["--noout", "--schema", XSD_FILE_LINE, file]);
      strictEqual(r.code, 0, `${name}: ${r.err}`);
      const strict = await xmllint(["--noout", "--schema", JUNIT_10_XSD, file]);
      const complaints = strict.err.split("\n").filter((l) => l.includes("testcase"));
      ok(
        complaints.length > 0 && complaints.every((l) => /attribute '(file|line)'/.test(l)),
        `${name}: only file and line are beyond junit-10.xsd:\n${strict.err.slice(0, 2000)}`,
      );
    }
  },
});

Deno.test({
  name: "renderJunit() maps statuses to failure, error and skipped, and counts them per suite",
  ignore: !hasXmllint,
  async fn() {
    const file = await write("sample", sampleRun());
    strictEqual(await xpath(file, "count(//testsuite)"), "3");
    strictEqual(await xpath(file, "count(//testcase)"), "12");
    strictEqual(await xpath(file, "count(//failure)"), "1");
    strictEqual(await xpath(file, "count(//error)"), "3");
    strictEqual(await xpath(file, "count(//skipped)"), "2");
    strictEqual(await xpath(file, "string(/testsuites/@tests)"), "12");
    const first = "/testsuites/testsuite[1]";
    strictEqual(
      await xpath(
        file,
        `concat(${first}/@tests,' ',${first}/@failures,' ',${first}/@errors,' ',${first}/@skipped)`,
      ),
      "8 1 0 2",
    );
    strictEqual(
      await xpath(file, `string(${first}/testcase[1]/@classname)`),
      "storescp refuses bad client certificates",
    );
    strictEqual(
      await xpath(file, `string(${first}/testcase[1]/@name)`),
      "trusted client certificate is accepted [key=ec-p256]",
    );
    strictEqual(
      await xpath(file, "string(//testcase[skipped][2]/skipped/@message)"),
      "interrupted: interrupted by Ctrl-C after 1200 ms",
    );
    strictEqual(
      await xpath(file, "string(//error[1]/@message)"),
      "cannot read fixtures/pki/out/missing.crt: No such file or directory",
    );
  },
});

Deno.test({
  name: "renderJunit() lists each failed assertion with expected, actual and scenario position",
  ignore: !hasXmllint,
  async fn() {
    const file = await write("sample", sampleRun());
    strictEqual(
      await xpath(file, "string(//failure/@message)"),
      `expected tls refused-by-peer, got established <&"'>\\x00\\x1B[0m`,
    );
    const body = await xpath(file, "string(//failure)");
    deepStrictEqual(body.split("\n"), [
      `tls: expected refused-by-peer, actual established (scenarios/storescp.yaml:31:13)`,
      `alert: expected certificate_revoked, actual no alert from the peer (scenarios/storescp.yaml:31:35)`,
      "case at scenarios/storescp.yaml:29",
    ]);
  },
});

Deno.test({
  name: "renderJunit() reports an expected failure as passed with a system-out note",
  ignore: !hasXmllint,
  async fn() {
    const file = await write("sample", sampleRun());
    const xfail = "//testcase[@name='C-STORE of a large dataset is aborted']";
    strictEqual(
      await xpath(file, `count(${xfail}/failure | ${xfail}/error | ${xfail}/skipped)`),
      "0",
    );
    ok(
      (await xpath(file, `string(${xfail}/system-out)`)).startsWith(
        "expected failure (fails: true): expected store success, got aborted",
      ),
    );
  },
});

Deno.test({
  name: "renderJunit() puts protocol, cipher, thumbprints and verdict in each case's system-out",
  ignore: !hasXmllint,
  async fn() {
    const file = await write("sample", sampleRun());
    const prop = (name: string) => xpath(file, `string(//property[@name='${name}']/@value)`);
    strictEqual(await prop("target"), "STORESCP@127.0.0.1:11112");
    strictEqual(await xpath(file, "count(/testsuites/testsuite[1]/properties/property)"), "5");
    strictEqual(
      await prop("description"),
      "DCMTK storescp with mutual TLS\nsecond line <script>alert(1)</script> \\u{202E}evil",
      "the suite's description, its line break kept, the bidi override shown as an escape",
    );
    const out = (name: string) => xpath(file, `string(//testcase[@name="${name}"]/system-out)`);
    ok(
      (await out("expired client certificate is refused")).includes(
        "[[PROPERTY|tls.alert=certificate_expired (45) from the peer]]",
      ),
    );
    const trusted = await out("trusted client certificate is accepted [key=ec-p256]");
    for (
      const line of [
        "[[PROPERTY|tls.protocol=TLSv1.3]]",
        "[[PROPERTY|tls.cipher=TLS_AES_256_GCM_SHA384]]",
        "[[PROPERTY|peer.sha1=A1B2C3D4E5F60718293A4B5C6D7E8F9012345678]]",
        "[[PROPERTY|description]]the baseline: a valid chain to the trusted root <b>&amp;</b>\n\\x1B[31mred[[/PROPERTY]]",
        "[[PROPERTY|tags=smoke, mtls]]",
      ]
    ) ok(trusted.includes(line), `${line} not in\n${trusted}`);
    ok(
      (await out("server with an expired certificate is refused by us")).includes(
        "[[PROPERTY|verification=chain + host name: refused (expired, hostname-mismatch)]]",
      ),
    );
  },
});

Deno.test({
  name:
    "dicomtls run and merge with --junit-strict write JUnit valid against junit-10.xsd as is, with every case",
  ignore: !hasXmllint,
  async fn() {
    const ran = await runDicomtls([
      "run",
      "scenarios/demo",
      "--junit",
      `${dir}/run-strict.xml`,
      "--junit-strict",
      "--json",
      `${dir}/run.json`,
    ], { cwd: ROOT });
    strictEqual(ran.code, 0, ran.stderr);
    const merged = await runDicomtls([
      "merge",
      `${dir}/run.json`,
      "--junit",
      `${dir}/merge-strict.xml`,
      "--junit-strict",
    ]);
    strictEqual(merged.code, 0, merged.stderr);
    const cases = JSON.parse(await Deno.readTextFile(`${dir}/run.json`)).summary.total;
    for (const file of [`${dir}/run-strict.xml`, `${dir}/merge-strict.xml`]) {
      const r = await xmllint(["--noout", "--schema", JUNIT_10_XSD, file]);
      strictEqual(r.code, 0, r.err);
      strictEqual(await xpath(file, "count(//testcase)"), String(cases));
      strictEqual(await xpath(file, "count(//testcase[@file or @line])"), "0");
    }
  },
});

Deno.test("cleanup", async () => await Deno.remove(dir, { recursive: true }));
