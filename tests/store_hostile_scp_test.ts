/**
 * `dicomtls store`, `dicomtls echo` and a `run` case with `files:` against
 * SCPs over TLS that answer our C-STORE-RQ or C-ECHO-RQ with something that
 * is no valid answer to it (PS3.7 9.3.1.2, 9.3.5.2; PS3.8 Annex E): each
 * ends within the deadline, exit 1, the violation named as the peer's, the
 * association aborted by us; no case expecting Success passes.
 */
import assert from "node:assert/strict";
import type { Outcome } from "../src/outcome/mod.ts";
import type { CaseResult } from "../src/runner/result.ts";
import { spawnDicomtls, unsafeOnTerminal } from "../src/testing/cli.ts";
import {
  type HostileAnswer,
  startHostileDimseScp,
  startStatusScp,
} from "../src/testing/hostile_dimse_scp.ts";
import { clientTlsArgs, testPki } from "../src/testing/pki.ts";
import { secondaryCaptureFile } from "../src/testing/raw_association.ts";

const pki = await testPki();
const FIXTURE = new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url).pathname;
const TLS = clientTlsArgs(pki);

/** What `dicomtls store` (or echo) said about one hostile answer. */
async function cli(
  command: "store" | "echo",
  answer: HostileAnswer,
  file = FIXTURE,
): Promise<{ code: number; json: Outcome }> {
  const scp = await startHostileDimseScp(pki, { answer });
  try {
    const args = [command, `127.0.0.1:${scp.port}`, ...(command === "store" ? [file] : [])];
    const run = await spawnDicomtls([...args, "--called", "X", ...TLS, "--timeout", "3s", "--json"])
      .output();
    assert.deepEqual(unsafeOnTerminal(run.stdout), []);
    return { code: run.code, json: JSON.parse(new TextDecoder().decode(run.stdout)) };
  } finally {
    await scp.close();
  }
}

/** Each answer and the words that must name it in the operation's statusName. */
const VIOLATIONS: [HostileAnswer, RegExp][] = [
  ["wrong-message-id", /its C-STORE-RSP responds to message 2/],
  ["wrong-instance-uid", /Affected SOP Instance UID \(0000,1000\) "1\.2\.3\.999", ours was/],
  ["wrong-class-uid", /Affected SOP Class UID \(0000,0002\) "1\.2\.840\.10008\.5\.1\.4\.1\.1\.2"/],
  ["echo-rsp", /it answered with C-ECHO-RSP, not a C-STORE-RSP/],
  ["store-rq", /it answered with C-STORE-RQ, not a C-STORE-RSP/],
  ["other-context", /came on presentation context 1, the request went on 3/],
  ["unaccepted-context", /PDV on presentation context 255, never accepted/],
  ["pending-forever", /status Pending \(0xFF00\), which a C-STORE never has/],
  ["twice", /another DIMSE message after its C-STORE-RSP/],
  ["no-status", /has no Status \(0000,0900\)/],
  ["with-dataset", /announces a data set/],
  ["release-mid", /asked to release \(A-RELEASE-RQ\) instead of answering/],
  ["wrong-group-length", /Command Group Length says \d+, but \d+ bytes follow it/],
];

Deno.test("dicomtls store names the peer's protocol violation for every response that is no valid C-STORE-RSP, and aborts", async (t) => {
  for (const [answer, named] of VIOLATIONS) {
    await t.step(answer, async () => {
      const { code, json } = await cli("store", answer);
      assert.equal(code, 1);
      const [op] = json.dimse!.operations;
      // Its record names the command: "C-STORE C-STORE (our message 1) failed" was printed.
      assert.match(op.statusName!, /^(our message \d+: )?protocol violation by the peer: /);
      assert.match(op.statusName!, named);
      assert.equal(op.status, undefined, "no status stands for the operation");
      assert.notEqual(json.dimse!.status, "success");
      // Aborted by us: no release was tried, and the last PDU we sent is our A-ABORT.
      assert.equal(json.association!.released, undefined);
      assert.equal(json.pdus.filter((p) => p.direction === "sent").at(-1)!.type, "A-ABORT");
      assert.ok(json.durationMs < 3000, `${json.durationMs} ms`);
    });
  }
});

Deno.test("dicomtls store and echo fail when a second response comes after our A-RELEASE-RQ", async () => {
  for (const command of ["store", "echo"] as const) {
    const { code, json } = await cli(command, "twice-at-release");
    assert.equal(code, 1);
    const [op] = json.dimse!.operations;
    assert.equal(op.category, "failure");
    assert.equal(op.status, undefined);
    assert.match(op.statusName!, /another DIMSE message after its C-(STORE|ECHO)-RSP/);
  }
});

Deno.test("dicomtls echo names the peer's protocol violation for a C-ECHO-RSP with a wrong UID, a data set or no status", async () => {
  for (
    const [answer, named] of [
      ["wrong-instance-uid", /"1\.2\.3\.999", which our request had not/],
      ["wrong-class-uid", /Affected SOP Class UID/],
      ["with-dataset", /announces a data set/],
      ["no-status", /no Status/],
      ["pending-forever", /Pending \(0xFF00\), which a C-ECHO never has/],
    ] as const
  ) {
    const { code, json } = await cli("echo", answer);
    assert.equal(code, 1, answer);
    assert.match(json.dimse!.operations[0].statusName!, named);
  }
});

Deno.test("dicomtls store stops sending and fails when the SCP answers before our data set is complete", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-early-" });
  try {
    // 16 MiB: our sends wait for the peer to read, so its early answer arrives meanwhile.
    await Deno.writeFile(
      `${dir}/big.dcm`,
      secondaryCaptureFile({ sopInstanceUid: "2.25.42", pixelLength: 16 << 20 }),
    );
    const { code, json } = await cli("store", "early", `${dir}/big.dcm`);
    assert.equal(code, 1);
    assert.match(
      json.dimse!.operations[0].statusName!,
      /protocol violation by the peer: it answered before our C-STORE-RQ was complete/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The cases of a `run` of one suite against `port`, each storing `files` and expecting `expects`. */
async function runCases(
  port: number,
  o: { files: string[]; expects: string[] },
): Promise<{ code: number; stdout: string; cases: CaseResult[] }> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-hostile-run-" });
  try {
    const cases = o.expects.map((e, i) =>
      `  - name: case ${i}
    operation: store
    files: [${o.files.join(", ")}]
    expect: ${e}
`
    );
    await Deno.writeTextFile(
      `${dir}/suite.yaml`,
      `suite: hostile store
peers:
  sut: { role: scp, ae: EVIL, host: 127.0.0.1, port: ${port} }
  harness: { ae: HARNESS, verify: none }
defaults: { timeout: 5s }
cases:
${cases.join("")}`,
    );
    const run = await spawnDicomtls(["run", `${dir}/suite.yaml`, "--reports", `${dir}/r`])
      .output();
    const results = JSON.parse(await Deno.readTextFile(`${dir}/r/results.json`));
    return {
      code: run.code,
      stdout: new TextDecoder().decode(run.stdout),
      cases: results.suites[0].cases,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a run case expecting dimse.status success FAILs, naming the violation, against an SCP that answers with another SOP Instance UID", async () => {
  const scp = await startHostileDimseScp(pki, { answer: "wrong-instance-uid" });
  try {
    const run = await runCases(scp.port, {
      files: [FIXTURE],
      expects: ["{ store: success, dimse: { status: success } }"],
    });
    assert.equal(run.code, 1);
    assert.equal(run.cases[0].status, "failed", run.cases[0].message ?? "");
    assert.match(run.stdout, /protocol violation by the peer/);
  } finally {
    await scp.close();
  }
});

Deno.test("dimse.status aborted does not hold when the abort was ours, on a response to another message ID", async () => {
  const scp = await startHostileDimseScp(pki, { answer: "wrong-message-id" });
  try {
    const { cases: [c] } = await runCases(scp.port, {
      files: [FIXTURE],
      expects: ["{ dimse: { status: aborted } }"],
    });
    assert.equal(c.status, "failed", c.message ?? "");
    assert.match(c.message ?? "", /got aborted by us/);
  } finally {
    await scp.close();
  }
});

Deno.test("dimse.status of a store of several files holds only when every response has one of the statuses", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-statuses-" });
  const scp = await startStatusScp(pki, { statuses: [0xa700, 0x0000] });
  try {
    const files = [`${dir}/a.dcm`, `${dir}/b.dcm`];
    for (const [i, f] of files.entries()) {
      await Deno.writeFile(
        f,
        secondaryCaptureFile({ sopInstanceUid: `2.25.${i + 1}`, pixelLength: 0 }),
      );
    }
    const { cases } = await runCases(scp.port, {
      files,
      expects: [
        "{ dimse: { status: success } }",
        "{ dimse: { status: 0xA700 } }",
        "{ dimse: { status: [0xA700, success] } }",
      ],
    });
    assert.deepEqual(cases.map((c) => c.status), ["failed", "failed", "passed"]);
    assert.match(
      cases[0].message ?? "",
      /got 0xA700 Refused: Out of Resources \(.*a\.dcm\), 0x0000 Success/,
    );
  } finally {
    await scp.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store the SCP answered with a Warning status holds neither store: failure nor store: success", async () => {
  const scp = await startStatusScp(pki, { statuses: [0xb000] });
  try {
    const { cases } = await runCases(scp.port, {
      files: [FIXTURE],
      expects: ["{ store: failure }", "{ store: success }", "{ dimse: { status: warning } }"],
    });
    assert.deepEqual(cases.map((c) => c.status), ["failed", "failed", "passed"]);
    assert.match(cases[0].message ?? "", /expected store failure, got warning/);
  } finally {
    await scp.close();
  }
});

Deno.test("dicomtls store shows a peer's hostile UID escaped and cut at 64 characters", async () => {
  const scp = await startHostileDimseScp(pki, { answer: "hostile-uid" });
  try {
    const run = await spawnDicomtls([
      "store",
      `127.0.0.1:${scp.port}`,
      FIXTURE,
      "--called",
      "X",
      ...TLS,
    ]).output();
    assert.equal(run.code, 1);
    assert.deepEqual(unsafeOnTerminal(run.stdout), []);
    const shown = new TextDecoder().decode(run.stdout);
    assert.match(shown, /Affected SOP Instance UID \(0000,1000\) "\\x1B\[2J.{2,6}9{50,60}\.\.\."/);
    assert.ok(!shown.includes("9".repeat(64)), "cut");
  } finally {
    await scp.close();
  }
});
