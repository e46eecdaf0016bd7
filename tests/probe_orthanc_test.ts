/**
 * The prober against Orthanc 1.10 with DICOM TLS and an RSA server key: it
 * is reported like storescp +px (DCMTK's TLS inside, no version settings):
 * TLS 1.0 and 1.1 with TLS_RSA_WITH_AES_128_CBC_SHA, so not the
 * Non-downgrading profile (B.10), with a real TLS 1.0 C-ECHO as evidence
 * (our AE title is one of its modalities; it requires a client certificate).
 */
import assert from "node:assert/strict";
import { gatherEvidence, probeTarget } from "../src/probe/mod.ts";
import { evaluateProfile, profileByName } from "../src/profiles/mod.ts";
import { havePeer, startOrthanc } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { probedSuites, startStorescpProfile } from "../src/testing/probe_oracles.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { closeSharedOpenSsl } from "../src/tls/openssl/mod.ts";

const ignore = !havePeer("Orthanc", "orthanc") || !havePeer("storescp", "dcmtk") ||
  !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki!, name, kind);

Deno.test({
  name:
    "probeTarget() reports Orthanc like storescp +px: TLS 1.0 and 1.1 accepted, not B.10, a TLS 1.0 C-ECHO as evidence",
  ignore,
  async fn() {
    const orthanc = await startOrthanc({
      cert: file("server-rsa", "chain"),
      key: file("server-rsa", "key"),
      trust: file("root", "crt"),
      modalities: { dicomtls: { aet: "DICOMTLS", port: 1 } },
    });
    let report;
    try {
      report = await probeTarget({ host: "127.0.0.1", port: orthanc.port });
      report.evidence = await gatherEvidence(report, {
        host: "127.0.0.1",
        port: orthanc.port,
        callingAe: "DICOMTLS",
        calledAe: "ORTHANC",
        credentials: await loadCredentials({
          cert: file("client-rsa", "chain"),
          key: file("client-rsa", "key"),
        }),
      });
    } finally {
      await closeSharedOpenSsl();
      await orthanc.stop();
    }
    const scp = await startStorescpProfile({
      pki: pki!,
      profile: "+px",
      requireClientCertificate: true,
    });
    let px;
    try {
      px = await probeTarget({ host: "127.0.0.1", port: scp.port, quick: true });
    } finally {
      await scp.stop();
    }
    assert.deepEqual(probedSuites(report), probedSuites(px));
    assert.deepEqual(probedSuites(report)["TLSv1"], ["TLS_RSA_WITH_AES_128_CBC_SHA"]);
    const v = evaluateProfile(report, profileByName("B.10")!);
    assert.equal(v.verdict, "non-compliant");
    assert.deepEqual(v.violations, [
      "accepts TLS 1.0 (forbidden by PS3.15 B.10)",
      "accepts TLS 1.1 (forbidden by PS3.15 B.10)",
    ]);
    const tls10 = report.evidence.find((e) => e.version === "TLSv1");
    assert.equal(tls10?.result, "echoed", tls10?.detail ?? "no TLS 1.0 evidence");
    assert.equal(report.certificateRequested, true);
  },
});
