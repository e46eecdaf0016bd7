/**
 * The JUnit report as third-party consumers read it, from the npm registry
 * (Python's junitparser is not installable here): xunit-viewer's parser
 * (the viewer whose suite header ~100 per-case properties used to flood),
 * junit2json (a generic converter, as CI scripts use), and
 * test-results-parser (testbeats' parser, which reads per-case properties
 * from system-out in the `[[PROPERTY|name=value]]` syntax). Each must find
 * every case, with one `file` and one `line`, and the suite's file once.
 *
 * xunit-viewer runs under Node.js from its npm tarball with only the one
 * package its parser needs (xml2js): imported through Deno, its whole
 * dependency tree (React, CodeMirror, Express, socket.io: 180 packages)
 * would enter deno.lock, and every first run would fetch it.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { junit2json, testResultsParser } from "../src/testing/junit_consumers.ts";
import { renderJunit } from "../src/report/mod.ts";
import { terminalSafe } from "../src/text/mod.ts";
import type { CaseResult, RunResult } from "../src/runner/result.ts";
import { sampleRun } from "../src/testing/sample_run.ts";
import { ticketRun } from "../src/testing/ticket_run.ts";
import { havePeer } from "../src/testing/peers.ts";

const dir = await Deno.makeTempDir({ prefix: "dicomtls-junit-consumers-" });
const hasNpm = havePeer("node", "nodejs") && havePeer("npm", "npm");
const RUNS: [string, RunResult][] = [["sample", sampleRun()], ["ticket", ticketRun()]];

// The name as the XML carries it: control characters as visible escapes.
function junitName(c: CaseResult): string {
  const m = Object.entries(c.matrix ?? {});
  const name = m.length ? `${c.name} [${m.map(([k, v]) => `${k}=${v}`).join(", ")}]` : c.name;
  return terminalSafe(name, { keepLineBreaks: true });
}

/** What a consumer found for one case: its name, file and line values (all of them). */
interface Seen {
  name: string;
  file: string[];
  line: string[];
}

function expected(run: RunResult): Seen[] {
  return run.suites.flatMap((s) =>
    s.cases.map((c) => ({
      name: junitName(c),
      file: [c.location.file],
      line: [String(c.location.line)],
    }))
  );
}

const byName = (a: Seen, b: Seen) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

interface XunitViewerTest {
  name: string;
  properties?: Record<string, string[]>;
}
interface XunitViewerSuite {
  name: string;
  properties: Record<string, unknown>;
  tests: Record<string, XunitViewerTest>;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const r = await new Deno.Command("npm", { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(r.stdout);
  if (!r.success) throw new Error(`npm ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  return text;
}

/** xunit-viewer 10.6.1's own parser (src/cli/parse.js) under Node.js, on the XML files given. */
async function xunitViewer(
  xmlFiles: string[],
): Promise<{ suites: Record<string, XunitViewerSuite> }[]> {
  const home = `${dir}/xunit-viewer`;
  await Deno.mkdir(home, { recursive: true });
  const tarball = (await npm(["pack", "xunit-viewer@10.6.1", "--silent"], home)).trim();
  const untar = await new Deno.Command("tar", { args: ["-xzf", tarball], cwd: home }).output();
  ok(untar.success, "tar");
  await npm(["install", "--silent", "--no-audit", "--no-fund", "xml2js@0.6.2"], home);
  await Deno.writeTextFile(
    `${home}/parse.mjs`,
    `import { readFileSync } from "node:fs";
import parse from "./package/src/cli/parse.js";
const out = [];
for (const file of process.argv.slice(2)) out.push(await parse(readFileSync(file, "utf8")));
process.stdout.write(JSON.stringify(out));`,
  );
  const r = await new Deno.Command("node", {
    args: ["parse.mjs", ...xmlFiles],
    cwd: home,
    stdout: "piped",
    stderr: "piped",
  }).output();
  ok(r.success, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

Deno.test({
  name: "xunit-viewer's parser finds every case with one file and line, and the suite's file once",
  ignore: !hasNpm,
  async fn() {
    const files = [];
    for (const [name, run] of RUNS) {
      files.push(`${dir}/${name}.xml`);
      await Deno.writeTextFile(files.at(-1)!, renderJunit(run));
    }
    const parsed = await xunitViewer(files);
    RUNS.forEach(([name, run], i) => {
      const suites = Object.values(parsed[i].suites);
      strictEqual(suites.length, run.suites.length, name);
      const seen = suites.flatMap((s) =>
        Object.values(s.tests).map((t) => ({
          name: t.name,
          file: t.properties?.file ?? [],
          line: t.properties?.line ?? [],
        }))
      );
      deepStrictEqual(seen.sort(byName), expected(run).sort(byName), name);
      for (const s of suites) {
        const file = run.suites.find((r) => r.name === s.name)!.file;
        deepStrictEqual(s.properties.file, [file], `${name}: the suite's file`);
        const shown = Object.keys(s.properties).filter((k) => k !== "_visible");
        ok(shown.length <= 8, `${name}: suite header ${shown.join(", ")}`);
      }
    });
  },
});

interface Junit2JsonCase {
  name: string;
  file?: string;
  line?: number;
}

Deno.test("junit2json finds every case with one file and line", async () => {
  for (const [name, run] of RUNS) {
    const parsed = await junit2json(renderJunit(run)) as {
      testsuite: { testcase?: Junit2JsonCase[] }[];
    };
    const seen = parsed.testsuite.flatMap((s) => s.testcase ?? []).map((c) => ({
      name: c.name,
      file: c.file === undefined ? [] : [c.file],
      line: c.line === undefined ? [] : [String(c.line)],
    }));
    deepStrictEqual(seen.sort(byName), expected(run).sort(byName), name);
  }
});

interface TrpCase {
  name: string;
  status: string;
  metadata: Record<string, string>;
}

Deno.test("test-results-parser reads each case's evidence as its own properties", async () => {
  const run = ticketRun();
  const file = `${dir}/ticket.xml`;
  await Deno.writeTextFile(file, renderJunit(run));
  const parsed = testResultsParser.parse({ type: "junit", files: [file] }) as {
    suites: { cases: TrpCase[] }[];
  };
  const cases = parsed.suites.flatMap((s) => s.cases);
  strictEqual(cases.length, run.summary.total);
  const meta = (n: string) => cases.find((c) => c.name === n)!.metadata;
  strictEqual(
    meta("expired client certificate is refused")["wire.serverHello"].split(",")[0],
    "TLSv1.3",
  );
  strictEqual(
    meta("a silent peer times out").tls,
    "timeout, waiting for the peer's ServerHello",
  );
  strictEqual(
    meta("a peer that speaks plain DICOM is not TLS")["tls.firstBytes"],
    "a DICOM A-ABORT (service-provider, unexpected-pdu) (0700000000040000)",
  );
  strictEqual(meta("unknown calling AE title is rejected").target, "DEVICE@192.0.2.10:11112");
  deepStrictEqual(
    cases.map((c) => c.status),
    run.suites[0].cases.map((c) => c.status === "passed" ? "PASS" : "FAIL"),
  );
});

Deno.test("cleanup", async () => await Deno.remove(dir, { recursive: true }));
