/**
 * An inbound suite against Orthanc as the SCU under test, made to connect
 * through its REST API (POST /modalities/NAME/echo), asserted case by case:
 * a modality with UseDicomTls true is recorded with its ClientHello, its
 * client certificate and its A-ASSOCIATE-RQ, and refuses expired,
 * self-signed and unknown-CA server certificates; one without it is
 * recorded as not-tls, its A-ASSOCIATE-RQ's AE titles decoded.
 */
import assert from "node:assert/strict";
import { freePort } from "../src/process/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { REFUSES_BAD_SERVERS, runSuiteFiles, statusesOf } from "../src/testing/suite_run.ts";

Deno.test({
  name: "Orthanc as the SCU under test, through its REST API, case by case",
  ignore: !havePeer("Orthanc", "orthanc"),
  async fn() {
    const set = {
      port: String(freePort()),
      http_port: String(freePort()),
      harness_port: String(freePort()),
    };
    const r = await runSuiteFiles(["scenarios/orthanc/orthanc-scu.yaml"], { set });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(statusesOf(r), {
      ...REFUSES_BAD_SERVERS,
      "a modality without UseDicomTls sends plain DICOM to our TLS port": "passed",
      "offers no TLS version below 1.2": "expected-failure",
      "does not fall back to TLS 1.0 when the server offers only that": "expected-failure",
      "does not take a server that picks a suite without forward secrecy": "expected-failure",
    });
    const tls = r.cases.get("a trusted server certificate is accepted and the C-ECHO goes through")!
      .outcome!;
    assert.equal(tls.target.port, Number(set.harness_port));
    assert.deepEqual(tls.clientHello?.offeredVersions, ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"]);
    assert.ok((tls.clientHello?.cipherSuites.length ?? 0) > 0);
    assert.equal(tls.clientCertificate, "presented");
    assert.equal(tls.tls?.peer?.subject, "CN=MODALITY, O=Example Hospital");
    assert.equal(tls.tls?.verification?.ok, true);
    assert.equal(tls.associationRequest?.callingAe, "ORTHANC");
    assert.equal(tls.associationRequest?.calledAe, "HARNESS");
    assert.deepEqual(tls.trigger?.httpStatus, 200);
    assert.equal(
      tls.trigger?.description,
      `POST http://127.0.0.1:${set.http_port}/modalities/tls/echo`,
    );
    const expired = r.cases.get("refuses an expired server certificate")!.outcome!;
    assert.deepEqual(expired.tls?.alert, { name: "certificate_expired", code: 45 });
    assert.equal(expired.trigger?.httpStatus, 500);
    const plain = r.cases.get("a modality without UseDicomTls sends plain DICOM to our TLS port")!
      .outcome!;
    assert.equal(plain.tls?.status, "not-tls");
    assert.equal(plain.tls?.firstBytes?.pdu?.type, "A-ASSOCIATE-RQ");
    assert.equal(plain.tls?.firstBytes?.pdu?.callingAe, "ORTHANC");
    assert.equal(plain.tls?.firstBytes?.pdu?.calledAe, "HARNESS");
    assert.equal(plain.association?.callingAe, "ORTHANC");
    const floor = r.cases.get("offers no TLS version below 1.2")!;
    assert.equal(floor.profiles?.[0].verdict, "non-compliant");
    assert.match(
      floor.profiles![0].violations.join("; "),
      /offers TLS 1\.0 \(forbidden by PS3\.15 B\.10\)/,
    );
    const legacy = r.cases.get("does not fall back to TLS 1.0 when the server offers only that")!;
    assert.equal(legacy.outcome?.tls?.protocol, "TLSv1");
  },
});
