/**
 * A SUT that dies under a case: the conversation under way ends without a
 * word (a reset on our ClientHello, or on our A-ASSOCIATE-RQ), which a
 * refusal case written as `echo: failure` would read as a refusal. The
 * runner checks the target again before it judges: the case is an ERROR
 * naming it, and the cases after it are not run. The control: a target that
 * resets one connection on our ClientHello and lives on is judged as before;
 * one that resets it after the handshake and never answers DICOM (as a TLS
 * front whose backend is down) is judged only against a trusted case, which
 * this suite has not: an ERROR too. A SUT that accepts our association and
 * dies silent under the C-ECHO leaves only our own A-ABORT on giving up the
 * wait, which is no word of its: an ERROR as well.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { startDyingTlsServer } from "../src/testing/dying_tls_server.ts";
import { associatingScp } from "../src/testing/hostile_peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

async function runAgainst(
  o: { when: "client-hello" | "association"; die: boolean; expect?: string },
) {
  const { expect = "{ echo: failure }", ...dying } = o;
  const pki = await testPki();
  const server = await startDyingTlsServer({
    cert: await Deno.readTextFile(pkiFile(pki, "server", "chain")),
    key: await Deno.readTextFile(pkiFile(pki, "server", "key")),
    resetConnection: 2, // 1 is the sanity check; 2 is the first case
    ...dying,
  });
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-dies-" });
  try {
    await Deno.writeTextFile(
      `${dir}/suite.yaml`,
      `suite: dies in flight
peers:
  sut: { role: scp, ae: DYING, host: 127.0.0.1, port: ${server.port}, concurrency: 1 }
  harness: { trust: [${pkiFile(pki, "root", "crt")}] }
defaults: { timeout: 2s }
cases:
  - { name: expired is refused, expect: ${expect} }
  - { name: untrusted is refused, expect: ${expect} }
`,
    );
    const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], { cwd: dir });
    const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
    return { r, suite: run.suites[0] };
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a case that also expects tcp: connected is an error when the SUT dies under it", async () => {
  // The connection is a fact of its own; the echo's failure would rest on the target's death.
  const { r, suite } = await runAgainst({
    when: "association",
    die: true,
    expect: "{ tcp: connected, echo: failure }",
  });
  assert.deepEqual(suite.cases.map((c) => c.status), ["error", "error"], r.stdout);
  assert.match(suite.cases[0].message ?? "", /^the target stopped answering at case 1 /);
});

Deno.test("a live TLS target that resets one ClientHello without a byte is not shown to be not-tls", async () => {
  // It answered the sanity check in TLS: a reset without a byte is no evidence it does not speak it.
  const { r, suite } = await runAgainst({
    when: "client-hello",
    die: false,
    expect: "{ tls: not-tls }",
  });
  const [first] = suite.cases;
  assert.equal(first.outcome?.tls?.peerSent, "nothing");
  assert.equal(first.status, "error", r.stdout + r.stderr);
  assert.match(
    first.message ?? "",
    /^cannot judge tls not-tls: the target sent not a byte \(.*\): no evidence that it does not speak TLS/,
  );
});

for (const when of ["client-hello", "association"] as const) {
  Deno.test(`a SUT that dies on our ${when} is an error at that case, never a refusal`, async () => {
    const { r, suite } = await runAgainst({ when, die: true });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(suite.cases.map((c) => c.status), ["error", "error"], r.stdout);
    assert.match(
      suite.cases[0].message ?? "",
      new RegExp(
        "^the target stopped answering at case 1 \\(expired is refused\\): TCP refused .*; " +
          `this case: the peer ${
            when === "client-hello"
              ? "(closed|reset) the connection without sending a byte: no TLS server answered$"
              : "closed the connection without a TLS alert"
          }`,
      ),
    );
    assert.match(suite.cases[1].message ?? "", /^not run: the target stopped answering at case 1/);
    assert.match(suite.error ?? "", /^the target stopped answering at case 1 /);
  });

  Deno.test(`a SUT that resets one connection on our ${when} and lives on is judged`, async () => {
    const { r, suite } = await runAgainst({ when, die: false });
    const [first] = suite.cases;
    assert.equal(suite.error, undefined);
    if (when === "client-hello") {
      // What was judged is what the wire showed: the reset, not a refusal in TLS.
      assert.equal(first.status, "passed", r.stdout + r.stderr);
      assert.equal(first.outcome?.tls?.status, "not-tls");
      assert.equal(first.outcome?.tls?.peerSent, "nothing");
      return;
    }
    // A close after the handshake before any DICOM answer: a TLS 1.3 late refusal's shape,
    // and a dead backend's. This server never answers DICOM and the suite has no trusted case
    // to show it does: neither end is a verdict (the reference AE's are: run_dead_backend_test).
    assert.equal(first.outcome?.tls?.status, "refused-by-peer");
    assert.equal(first.outcome?.tls?.after, "handshake-complete");
    assert.equal(first.outcome?.tls?.closedWithoutAlert, true);
    for (const c of suite.cases) {
      assert.equal(c.status, "error", r.stdout + r.stderr);
      assert.match(
        c.message ?? "",
        /^the target closed after the TLS handshake without a word \(.*\), and the suite has no trusted case/,
      );
    }
  });
}

Deno.test("a SUT that accepts our association and dies silent under the C-ECHO is an error, though we aborted", async () => {
  const pki = await testPki();
  const server: { stopListening(): Promise<void>; close(): Promise<void>; port: number } =
    await associatingScp(pki, (socket) => {
      void server.stopListening();
      return Promise.resolve(void socket.pause());
    });
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-dies-silent-" });
  try {
    await Deno.writeTextFile(
      `${dir}/suite.yaml`,
      `suite: dies silent
peers:
  sut: { role: scp, ae: DYING, host: 127.0.0.1, port: ${server.port}, concurrency: 1 }
  harness: { verify: none }
defaults: { timeout: 1s }
cases:
  - { name: echo is refused, expect: { echo: failure } }
`,
    );
    const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], { cwd: dir });
    const [c] = (JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`)) as RunResult)
      .suites[0].cases;
    assert.equal(c.outcome?.association?.abort?.by, "us");
    assert.equal(c.status, "error", r.stdout + r.stderr);
    assert.match(
      c.message ?? "",
      /^the target stopped answering at case 1 .*; this case: the association ended without a DICOM answer: Timed out .* waiting for P-DATA-TF; we sent an A-ABORT and closed$/,
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
