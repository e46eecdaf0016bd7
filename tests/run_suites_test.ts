/**
 * `dicomtls run` as users run it (a subprocess) on the suites in scenarios/,
 * against real DCMTK storescp and Orthanc started by the suites themselves.
 * The JUnit XML is asserted case by case (and validated against the Jenkins
 * xunit junit-10.xsd plus the file and line attributes of each testcase), results.json against schemas/results.schema.json. The
 * negative control proves the tester can fail; a dead target proves it never
 * passes what it could not reach.
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { freePort } from "../src/process/mod.ts";
import type { CaseStatus, RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { junitXsdWithFileLine } from "../src/testing/junit_schema.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const XSD = await junitXsdWithFileLine(await Deno.makeTempDir({ prefix: "dicomtls-xsd-" }));
const hasStorescp = havePeer("storescp", "dcmtk");
const hasOrthanc = havePeer("Orthanc", "orthanc");
const hasXmllint = havePeer("xmllint", "libxml2-utils");
const validateResults = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(await Deno.readTextFile(`${ROOT}schemas/results.schema.json`)),
);

/** One JUnit testcase as CI reads it. */
interface JunitCase {
  suite: string;
  status: "passed" | "failure" | "error" | "skipped";
  /** The failure/error `message` attribute and the element's text. */
  message?: string;
  text?: string;
}

/** What one `dicomtls run` did. */
interface Ran {
  code: number;
  out: string;
  err: string;
  dir: string;
  junit: string;
  json: string;
}

const decoder = new TextDecoder();

async function dicomtls(args: string[], dir: string): Promise<Omit<Ran, "junit" | "json">> {
  const r = await runDicomtls(args, {
    cwd: ROOT,
    // storescp -od and Orthanc's storage default to $TMPDIR: keep them in the test's folder.
    env: { TMPDIR: dir },
  });
  return { code: r.code, out: r.stdout, err: r.stderr, dir };
}

/**
 * Runs suites on a free port with --junit and --json into `dir` (default: a
 * fresh folder, removed by {@linkcode done}).
 */
async function run(
  paths: string[],
  options: { flags?: string[]; dir?: string; name?: string } = {},
): Promise<Ran> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "dicomtls-run-test-" });
  const junit = `${dir}/${options.name ?? "junit"}.xml`;
  const json = `${dir}/${options.name ?? "results"}.json`;
  const r = await dicomtls(
    [
      "run",
      ...paths,
      "--set",
      `port=${freePort()}`,
      "--junit",
      junit,
      "--json",
      json,
      ...options.flags ?? [],
    ],
    dir,
  );
  return { ...r, junit, json };
}

async function done(r: { dir: string }): Promise<void> {
  await Deno.remove(r.dir, { recursive: true });
}

function unescapeXml(s: string): string {
  return s.replace(
    /&(quot|apos|lt|gt|amp|#x?[0-9a-fA-F]+);/g,
    (_, e: string) =>
      e === "quot"
        ? '"'
        : e === "apos"
        ? "'"
        : e === "lt"
        ? "<"
        : e === "gt"
        ? ">"
        : e === "amp"
        ? "&"
        : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

function attributes(s: string): Record<string, string> {
  return Object.fromEntries([...s.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [
    m[1],
    unescapeXml(m[2]),
  ]));
}

/** Testcases by name, as a CI reads them: passed, or the first failure/error/skipped child. */
function parseJunit(xml: string): Map<string, JunitCase> {
  const cases = new Map<string, JunitCase>();
  for (const suite of xml.matchAll(/<testsuite\s([^>]*)>([\s\S]*?)<\/testsuite>/g)) {
    const suiteName = attributes(suite[1]).name;
    for (const tc of suite[2].matchAll(/<testcase\s([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const name = attributes(tc[1]).name;
      assert.ok(!cases.has(name), `testcase ${name} appears twice`);
      const child = (tc[2] ?? "").match(
        /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/,
      );
      cases.set(name, {
        suite: suiteName,
        status: (child?.[1] ?? "passed") as JunitCase["status"],
        ...(child
          ? { message: attributes(child[2]).message, text: unescapeXml(child[3] ?? "") }
          : {}),
      });
    }
  }
  return cases;
}

/** Reads both reports: the XML valid against junit-10.xsd (+ file, line), the JSON against its schema. */
async function reports(
  r: Pick<Ran, "junit" | "json">,
): Promise<{ junit: Map<string, JunitCase>; json: RunResult }> {
  if (hasXmllint) {
    const x = await new Deno.Command("xmllint", {
      args: ["--noout", "--schema", XSD, r.junit],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(
      x.code,
      0,
      `junit.xml is not valid against junit-10.xsd + file/line:\n${decoder.decode(x.stderr)}`,
    );
  }
  const json: RunResult = JSON.parse(await Deno.readTextFile(r.json));
  assert.ok(validateResults(json), JSON.stringify(validateResults.errors, null, 2));
  return { junit: parseJunit(await Deno.readTextFile(r.junit)), json };
}

/** Name -> JUnit status, for a whole-map comparison that shows every difference. */
function statuses(junit: Map<string, JunitCase>): Record<string, JunitCase["status"]> {
  return Object.fromEntries([...junit].map(([name, c]) => [name, c.status]));
}

function jsonStatuses(run: RunResult): Record<string, CaseStatus> {
  return Object.fromEntries(run.suites.flatMap((s) => s.cases).map((c) => [c.id, c.status]));
}

function explain(r: Pick<Ran, "code" | "out" | "err">): string {
  return `exit ${r.code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}`;
}

const STORESCP_CASES = [
  "trusted client certificate is accepted",
  "expired client certificate is refused",
  "client certificate from an unknown CA is refused",
  "self-signed client certificate is refused",
  "no client certificate is refused",
  "server pinned by thumbprint",
  "server pinned to another thumbprint is refused by us",
  "storescp accepts any called AE title",
];

Deno.test({
  name: "storescp.yaml passes case by case in JUnit, exit 0, with a valid results.json",
  ignore: !hasStorescp,
  async fn() {
    const r = await run(["scenarios/dcmtk/storescp.yaml"]);
    try {
      assert.equal(r.code, 0, explain(r));
      const { junit, json } = await reports(r);
      assert.deepEqual(
        statuses(junit),
        Object.fromEntries(STORESCP_CASES.map((n) => [n, "passed"])),
      );
      assert.equal(json.summary.passed, STORESCP_CASES.length);
      assert.equal(json.suites[0].sanity?.status, "passed");
      assert.equal(json.interrupted, false);
    } finally {
      await done(r);
    }
  },
});

Deno.test({
  name:
    "the negative control (storescp -ic) reports every refusal case as a failure with expected vs actual, exit 1",
  ignore: !hasStorescp,
  async fn() {
    const r = await run(["scenarios/dcmtk/storescp-ignore-client-cert.yaml"]);
    try {
      assert.equal(r.code, 1, explain(r));
      const { junit, json } = await reports(r);
      const refusals = [
        ["expired client certificate is refused", "certificate_expired"],
        ["client certificate from an unknown CA is refused", "unknown_ca"],
        ["self-signed client certificate is refused", "unknown_ca"],
        ["no client certificate is refused", "certificate_required"],
      ];
      assert.deepEqual(statuses(junit), {
        "trusted client certificate is accepted": "passed",
        ...Object.fromEntries(refusals.map(([name]) => [name, "failure"])),
        "server pinned by thumbprint": "passed",
      });
      for (const [name, alert] of refusals) {
        const c = junit.get(name)!;
        assert.match(c.message!, /^expected tls refused-by-peer, got established; expected alert /);
        assert.match(
          c.text!,
          /^tls: expected refused-by-peer, actual established \(scenarios\/dcmtk\/storescp-ignore-client-cert\.yaml:\d+:\d+\)$/m,
        );
        assert.match(
          c.text!,
          new RegExp(
            `^alert: expected (.* or )?${alert}( or .*)?, actual no alert from the peer`,
            "m",
          ),
        );
      }
      assert.deepEqual(
        { passed: json.summary.passed, failed: json.summary.failed, errors: json.summary.errors },
        { passed: 2, failed: 4, errors: 0 },
      );
      assert.match(r.out, /^2 passed, 4 failed, 0 errors/m);
    } finally {
      await done(r);
    }
  },
});

Deno.test({
  name: "the TLS 1.2-only, C-STORE and key-type matrix suites pass case by case against storescp",
  ignore: !hasStorescp,
  async fn() {
    const r = await run([
      "scenarios/dcmtk/storescp-tls12.yaml",
      "scenarios/dcmtk/storescp-matrix.yaml",
    ]);
    try {
      assert.equal(r.code, 0, explain(r));
      const { junit, json } = await reports(r);
      const matrix = [
        "trusted client certificate echoes",
        "a Secondary Capture image is stored",
        "expired client certificate is refused",
        "the server certificate is the one of this matrix entry",
      ].flatMap((n) => [`${n} [key=ec-p256]`, `${n} [key=rsa-2048]`]);
      const tls12 = [
        "TLS 1.2 with a trusted client certificate echoes",
        "TLS 1.2 negotiates an ECDHE-RSA AEAD cipher suite",
        "a Secondary Capture image is stored over TLS 1.2",
        "TLS 1.2 expired client certificate is refused",
        "TLS 1.2 client certificate from an unknown CA is refused",
        "TLS 1.2 without a client certificate is refused with handshake_failure",
        "the RSA server certificate is pinned by its SHA-256 thumbprint",
        "TLS 1.3 is also offered by storescp",
      ];
      assert.deepEqual(
        statuses(junit),
        Object.fromEntries([...tls12, ...matrix].map((n) => [n, "passed"])),
      );
      // Each matrix entry ran against its own storescp with its own key type.
      assert.deepEqual(
        json.suites.slice(1).map((s) => s.cases[0].outcome?.tls?.peer?.chain?.[0]?.key),
        ["EC P-256", "RSA 2048"],
      );
      const stored = json.suites[0].cases.find((c) => c.name.startsWith("a Secondary Capture"));
      assert.equal(stored?.outcome?.dimse?.operations[0].command, "C-STORE");
    } finally {
      await done(r);
    }
  },
});

Deno.test({
  name:
    "Orthanc's suite passes case by case: AE title reject, abort on echo, alerts and pinning as Orthanc answers",
  ignore: !hasOrthanc,
  async fn() {
    const r = await run(["scenarios/orthanc/orthanc.yaml"]);
    try {
      assert.equal(r.code, 0, explain(r));
      const { junit, json } = await reports(r);
      assert.deepEqual(statuses(junit), {
        "trusted client certificate and known AE titles echo": "passed",
        "wrong called AE is rejected": "passed",
        "unknown calling AE is accepted, then aborted on C-ECHO": "passed",
        "expired client certificate is refused": "passed",
        "client certificate from an unknown CA is refused": "passed",
        "Orthanc pinned by thumbprint": "passed",
        "Orthanc pinned to another thumbprint is refused by us": "passed",
      });
      const byName = new Map(json.suites[0].cases.map((c) => [c.name, c.outcome]));
      assert.deepEqual(byName.get("wrong called AE is rejected")?.association?.reject, {
        result: "rejected-permanent",
        source: "service-user",
        reason: "called-ae-title-not-recognized",
      });
      assert.deepEqual(
        byName.get("expired client certificate is refused")?.tls?.alert,
        { name: "certificate_expired", code: 45 },
      );
      // The wrapper execs Orthanc: the runner stopped Orthanc itself, which logged it.
      assert.match(json.suites[0].peerLog ?? "", /Orthanc has stopped/);
    } finally {
      await done(r);
    }
  },
});

Deno.test("a dead target makes every case an error, never a pass, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-run-test-" });
  try {
    // Nothing listens on the port and the suite starts nothing. The last case
    // expects a failed echo: without the sanity check a dead target would satisfy it.
    await Deno.writeTextFile(
      `${dir}/dead.yaml`,
      `suite: nothing listens here
pki: ${ROOT}fixtures/pki/standard.yaml
peers:
  sut: { ae: NOBODY, host: 127.0.0.1, port: "\${set.port}" }
  harness: { certificate: client, trust: [root] }
defaults: { timeout: 2s }
cases:
  - name: trusted client echoes
    expect: { echo: success }
  - name: expired client is refused
    harness: { certificate: client-expired }
    expect: { tls: refused-by-peer }
  - name: an echo that is expected to fail
    expect: { echo: failure }
`,
    );
    const r = await run([`${dir}/dead.yaml`], { dir });
    assert.equal(r.code, 1, explain(r));
    const { junit, json } = await reports(r);
    assert.deepEqual(statuses(junit), {
      "trusted client echoes": "error",
      "expired client is refused": "error",
      "an echo that is expected to fail": "error",
    });
    for (const c of junit.values()) {
      assert.match(c.message!, /^target not usable: TCP refused at 127\.0\.0\.1:\d+/);
    }
    assert.equal(json.summary.passed, 0);
    assert.equal(json.suites[0].sanity?.status, "error");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "--shard 1/2 and --shard 2/2 merged hold the same cases as the unsharded run",
  ignore: !hasStorescp,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-run-test-" });
    try {
      const suite = ["scenarios/dcmtk/storescp.yaml"];
      // Three storescp on three ports at once: the shards as separate CI jobs would run.
      const [whole, ...parts] = await Promise.all([
        run(suite, { dir, name: "whole" }),
        ...[1, 2].map((k) => run(suite, { dir, name: `shard-${k}`, flags: ["--shard", `${k}/2`] })),
      ]);
      for (const r of [whole, ...parts]) assert.equal(r.code, 0, explain(r));
      const sizes = [];
      for (const p of parts) sizes.push((await reports(p)).json.summary.total);
      assert.deepEqual(sizes.sort(), [4, 4]);
      const merged = await dicomtls(
        [
          "merge",
          ...parts.map((p) => p.json),
          "--junit",
          `${dir}/merged.xml`,
          "--json",
          `${dir}/merged.json`,
        ],
        dir,
      );
      assert.equal(merged.code, 0, merged.err);
      const m = await reports({
        ...merged,
        junit: `${dir}/merged.xml`,
        json: `${dir}/merged.json`,
      });
      const w = await reports(whole);
      assert.deepEqual(statuses(m.junit), statuses(w.junit));
      assert.deepEqual(jsonStatuses(m.json), jsonStatuses(w.json));
      assert.deepEqual(m.json.shards?.map((s) => [s.index, s.total]), [[1, 2], [2, 2]]);
      assert.deepEqual(
        m.json.shards?.map((s) => s.invocation?.commandLine.slice(-2)),
        [["--shard", "1/2"], ["--shard", "2/2"]],
        "each shard keeps the command line that ran it",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "--filter keeps cases whose name contains the text and --tag keeps the tagged suites' cases",
  ignore: !hasStorescp,
  async fn() {
    const filtered = await run(["scenarios/dcmtk/storescp.yaml"], {
      flags: ["--filter", "THUMBPRINT"],
    });
    try {
      assert.equal(filtered.code, 0, explain(filtered));
      assert.deepEqual(statuses((await reports(filtered)).junit), {
        "server pinned by thumbprint": "passed",
        "server pinned to another thumbprint is refused by us": "passed",
      });
    } finally {
      await done(filtered);
    }
    const tagged = await run(
      ["scenarios/dcmtk/storescp.yaml", "scenarios/dcmtk/storescp-ignore-client-cert.yaml"],
      { flags: ["--tag", "negative-control"] },
    );
    try {
      assert.equal(tagged.code, 1, explain(tagged));
      const { junit, json } = await reports(tagged);
      assert.equal(junit.size, 6);
      assert.deepEqual(json.suites.map((s) => s.file), [
        "scenarios/dcmtk/storescp-ignore-client-cert.yaml",
      ]);
    } finally {
      await done(tagged);
    }
  },
});

Deno.test("a broken scenario exits 2 with file:line:column and leaves the existing report untouched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-run-test-" });
  try {
    const earlier = new TextEncoder().encode("<testsuites><!-- an earlier run --></testsuites>\n");
    await Deno.writeFile(`${dir}/junit.xml`, earlier);
    const r = await dicomtls(
      ["run", "fixtures/scenarios-broken/unknown-key.yaml", "--junit", `${dir}/junit.xml`],
      dir,
    );
    assert.equal(r.code, 2, explain(r));
    assert.equal(
      r.err.trim(),
      `dicomtls run: ${
        (await Deno.readTextFile(`${ROOT}fixtures/scenarios-broken/unknown-key.expected`)).trim()
      }`,
    );
    assert.deepEqual(await Deno.readFile(`${dir}/junit.xml`), earlier);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["junit.xml"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
