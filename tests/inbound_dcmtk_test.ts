/**
 * Inbound suites against DCMTK as the SCU under test, run as users run them
 * (`dicomtls run`), asserted case by case: echoscu and storescu (default
 * profile +py, -rc) refuse expired, self-signed and unknown-CA server
 * certificates in the handshake with OpenSSL's alerts, accept a server
 * certificate for another host (a true finding, an expected failure), and
 * echoscu does not fall back to TLS 1.0; the negative control (echoscu
 * -ic) makes the refusal cases fail. echoscu without +tls sends plain
 * DICOM: a profile case cannot judge it (an error, as an outbound case on a
 * plain target is), never a failure.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import {
  REFUSES_BAD_SERVERS,
  runSuiteFiles,
  statusesOf,
  type SuiteRun,
} from "../src/testing/suite_run.ts";

const ignore = !havePeer("echoscu", "dcmtk") || !havePeer("storescu", "dcmtk");
const explain = (r: SuiteRun) => `${r.stdout}\n${r.stderr}`;

Deno.test({
  name: "echoscu as the SCU under test refuses bad server certificates, case by case",
  ignore,
  async fn() {
    const r = await runSuiteFiles(["scenarios/dcmtk/echoscu-inbound.yaml"]);
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(statusesOf(r), {
      ...REFUSES_BAD_SERVERS,
      "refuses a server certificate that is not yet valid": "passed",
      "refuses a server certificate with a bad signature": "passed",
      "refuses a server certificate without serverAuth usage": "passed",
      "refuses a server certificate whose chain lacks the intermediate": "passed",
      "refuses a server certificate for another host": "expected-failure",
      "refuses a 1024-bit RSA server key": "expected-failure",
      "does not fall back to TLS 1.0 when the server offers only that": "passed",
      "does not take a server that picks a suite without forward secrecy": "passed",
    }, explain(r));
    const suite = r.result.suites[0];
    assert.equal(suite.sanity?.status, "passed");
    const trusted = r.cases.get(
      "a trusted server certificate is accepted and the C-ECHO goes through",
    )!.outcome!;
    assert.equal(trusted.direction, "inbound");
    const verdicts = r.cases.get(
      "a trusted server certificate is accepted and the C-ECHO goes through",
    )!.profiles;
    assert.deepEqual(verdicts?.map((v) => [v.profile, v.verdict]), [
      ["bcp195-nd", "compliant"],
      ["ihe-atna-tls12", "compliant"],
    ]);
    assert.equal(trusted.tls?.peer?.subject, "CN=MODALITY, O=Example Hospital");
    assert.equal(trusted.associationRequest?.callingAe, "ECHOSCU");
    assert.equal(trusted.associationRequest?.implementationVersionName, "OFFIS_DCMTK_367");
    assert.deepEqual(trusted.dimse?.requests?.map((q) => [q.command, q.answer.status]), [
      ["C-ECHO", 0],
    ]);
    assert.equal(trusted.association?.released, true);
    assert.equal(trusted.trigger?.exitCode, 0);
    const expired = r.cases.get("refuses an expired server certificate")!.outcome!;
    assert.deepEqual(expired.tls?.alert, { name: "certificate_expired", code: 45 });
    assert.equal(expired.tls?.after, "our-certificate");
    assert.equal(expired.trigger?.exitCode, 1);
    assert.match(expired.trigger?.output ?? "", /certificate verify failed/);
    const wrongHost = r.cases.get("refuses a server certificate for another host")!;
    assert.match(wrongHost.message!, /^expected tls refused-by-peer, got established/);
    const rsa = r.cases.get("does not take a server that picks a suite without forward secrecy")!;
    assert.match(rsa.outcome?.tls?.cause ?? "", /^no common cipher suite in TLSv1\.2: /);
    const legacy = r.cases.get("does not fall back to TLS 1.0 when the server offers only that")!;
    assert.equal(legacy.outcome?.tls?.stack, "openssl");
    assert.match(
      legacy.outcome?.tls?.cause ?? "",
      /^no common TLS version: the client offered TLSv1.3, TLSv1.2; we accept TLSv1$/,
    );
  },
});

Deno.test({
  name: "storescu sends its image only to a server whose certificate verifies",
  ignore,
  async fn() {
    const r = await runSuiteFiles(["scenarios/dcmtk/storescu-inbound.yaml"]);
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(statusesOf(r), {
      "a trusted server certificate gets the image": "passed",
      "refuses an expired server certificate": "passed",
      "refuses a self-signed server certificate": "passed",
      "refuses a server certificate from an unknown CA": "passed",
      "refuses a server certificate for another host": "expected-failure",
    }, explain(r));
    const stored = r.cases.get("a trusted server certificate gets the image")!.outcome!;
    const [request] = stored.dimse!.requests!;
    assert.equal(request.command, "C-STORE");
    assert.equal(request.sopClassUid, "1.2.840.10008.5.1.4.1.1.7");
    assert.ok((request.datasetBytes ?? 0) > 0);
    assert.deepEqual(request.answer, { status: 0, statusName: "Success" });
    const expired = r.cases.get("refuses an expired server certificate")!.outcome!;
    assert.equal(expired.dimse, undefined, "no data set left before the refusal");
  },
});

Deno.test({
  name:
    "negative control: echoscu -ic fails the cases that expect it to refuse bad server certificates",
  ignore,
  async fn() {
    const r = await runSuiteFiles(["scenarios/dcmtk/echoscu-inbound-ignore-server-cert.yaml"]);
    assert.equal(r.code, 1, explain(r));
    assert.deepEqual(statusesOf(r), {
      "a trusted server certificate is accepted and the C-ECHO goes through": "passed",
      "refuses an expired server certificate": "failed",
      "refuses a self-signed server certificate": "failed",
      "refuses a server certificate from an unknown CA": "failed",
    }, explain(r));
    const expired = r.cases.get("refuses an expired server certificate")!;
    assert.match(
      expired.message!,
      /^expected tls refused-by-peer, got established; expected alert certificate_expired, got nothing; expected association not-requested, got accepted/,
    );
    assert.equal(expired.outcome?.tls?.peer?.subject, "CN=MODALITY, O=Example Hospital");
    assert.match(r.stdout, /^1 passed, 3 failed, 0 errors/m);
  },
});

Deno.test({
  name: "a profile case of an echoscu that sends plain DICOM is an error, not a failure",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-plain-profile-" });
    try {
      const file = join(dir, "plain.yaml");
      await Deno.writeTextFile(
        file,
        `suite: plain
pki: ${new URL("../fixtures/pki/inbound.yaml", import.meta.url).pathname}
peers:
  sut:
    role: scu
    ae: ECHOSCU
    trigger: { command: [echoscu, -aet, ECHOSCU, -aec, HARNESS, "\${harness.host}", "\${harness.port}"] }
  harness: { ae: HARNESS, certificate: server }
defaults: { timeout: 6s }
cases:
  - name: about TLS
    expect: { profile: bcp195-nd, echo: success }
  - name: about the transport
    expect: { profile: bcp195-nd, tls: not-tls }
`,
      );
      const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
      const run = await runSuites({ suites, concurrency: 2 });
      const [tls, transport] = run.suites[0].cases;
      assert.equal(tls.status, "error", tls.message ?? "");
      assert.match(
        tls.message!,
        /^the SUT sent no ClientHello to judge a profile on \(tls: not-tls, /,
      );
      assert.equal(transport.status, "error", transport.message ?? "");
      assert.match(transport.message!, /^cannot judge profile bcp195-nd: no TLS offer/);
      assert.equal(transport.outcome?.association?.callingAe, "ECHOSCU");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
