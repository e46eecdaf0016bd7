/**
 * The prober against DCMTK storescp's three profiles (+py default, +px,
 * +pz), each with a client certificate required (-rc) and ignored (-ic):
 * per version, the suites it finds accepted equal what `openssl s_client
 * -cipher X` / `-ciphersuites X` negotiates for every suite OpenSSL knows
 * but PSK and SRP ones, which s_client cannot offer without an identity
 * (with a client certificate); -rc gives the same lists as -ic (the
 * ServerHello comes before the certificate request); the profile verdicts
 * issue 12 names, with a real C-ECHO per accepted version as evidence.
 */
import assert from "node:assert/strict";
import { gatherEvidence, type ProbeReport, probeTarget } from "../src/probe/mod.ts";
import { evaluateProfile, profileByName } from "../src/profiles/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import {
  opensslFindings,
  probedSuites,
  startStorescpProfile,
  type SuitesByVersion,
} from "../src/testing/probe_oracles.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { closeSharedOpenSsl } from "../src/tls/openssl/mod.ts";
import { slowTests } from "../src/testing/slow.ts";

const ignore = !havePeer("storescp", "dcmtk") || !havePeer("openssl", "openssl") ||
  !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const cert = () => pkiFile(pki!, "client-rsa", "chain");
const key = () => pkiFile(pki!, "client-rsa", "key");

/** What one storescp configuration gave: our probe (with evidence) and openssl's findings. */
interface Found {
  report: ProbeReport;
  ours: SuitesByVersion;
  openssl: SuitesByVersion;
}

async function probe(
  profile: "+py" | "+px" | "+pz",
  requireClientCertificate: boolean,
  oracle = true,
) {
  const scp = await startStorescpProfile({ pki: pki!, profile, requireClientCertificate });
  try {
    const report = await probeTarget({ host: "127.0.0.1", port: scp.port });
    report.evidence = await gatherEvidence(report, {
      host: "127.0.0.1",
      port: scp.port,
      calledAe: "STORESCP",
      credentials: await loadCredentials({ cert: cert(), key: key() }),
    });
    const openssl = oracle
      ? await opensslFindings({ port: scp.port, cert: cert(), key: key() })
      : {};
    return { report, ours: probedSuites(report), openssl } satisfies Found;
  } finally {
    await scp.stop();
  }
}

/**
 * Both configurations of a profile flag: -rc checked against openssl, -ic
 * against -rc (openssl's per-suite loop is the slow part; with
 * DICOMTLS_SLOW_TESTS=1 -ic is checked against openssl too).
 */
async function both(profile: "+py" | "+px" | "+pz"): Promise<Found> {
  const slow = slowTests();
  const rc = await probe(profile, true);
  const ic = await probe(profile, false, slow);
  await closeSharedOpenSsl();
  assert.deepEqual(rc.ours, rc.openssl, `${profile} -rc: ours vs openssl s_client`);
  if (slow) assert.deepEqual(ic.ours, ic.openssl, `${profile} -ic: ours vs openssl s_client`);
  assert.deepEqual(rc.ours, ic.ours, `${profile}: -rc and -ic give the same suites`);
  assert.equal(rc.report.certificateRequested, true, "-rc asks for a client certificate");
  assert.equal(ic.report.certificateRequested, false, "-ic does not");
  for (const r of [rc.report, ic.report]) {
    assert.equal(r.hellos.retries, 0);
    assert.ok(r.certificates?.[0].subject.includes("CN=localhost"), "the chain was read");
  }
  return rc;
}

const GCM = [
  "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];

Deno.test({
  name: "probeTarget() against storescp +py finds what openssl finds, and +py meets B.10",
  ignore,
  async fn() {
    const { report, ours } = await both("+py");
    assert.deepEqual(Object.keys(ours), ["TLSv1.2", "TLSv1.3"]);
    assert.deepEqual(ours["TLSv1.2"], GCM);
    const v = evaluateProfile(report, profileByName("bcp195-nd")!);
    assert.equal(v.verdict, "compliant", v.violations.join("; "));
    assert.equal(report.prefersTls13, true);
    assert.deepEqual(report.evidence?.map((e) => `${e.version} ${e.result}`), [
      "TLSv1.2 echoed",
      "TLSv1.3 echoed",
    ]);
  },
});

Deno.test({
  name:
    "probeTarget() against storescp +px finds TLS 1.0 and 1.1 as openssl does: not B.10, with a real TLS 1.0 C-ECHO",
  ignore,
  async fn() {
    const { report, ours } = await both("+px");
    assert.deepEqual(ours["TLSv1"], ["TLS_RSA_WITH_AES_128_CBC_SHA"]);
    assert.deepEqual(ours["TLSv1.1"], ["TLS_RSA_WITH_AES_128_CBC_SHA"]);
    assert.deepEqual(ours["TLSv1.2"], [...GCM, "TLS_RSA_WITH_AES_128_CBC_SHA"].sort());
    const v = evaluateProfile(report, profileByName("bcp195-nd")!);
    assert.equal(v.verdict, "non-compliant");
    assert.deepEqual(v.violations, [
      "accepts TLS 1.0 (forbidden by PS3.15 B.10)",
      "accepts TLS 1.1 (forbidden by PS3.15 B.10)",
    ]);
    const tls10 = report.evidence?.find((e) => e.version === "TLSv1");
    assert.equal(tls10?.result, "echoed");
    assert.equal(tls10?.protocol, "TLSv1");
    assert.match(tls10?.detail ?? "", /A-ASSOCIATE-AC, C-ECHO Success/);
    const req = v.requirements.find((r) => r.id === "no-tls10-tls11")!;
    assert.ok(req.evidence?.some((e) => e.startsWith("TLS 1.0: echoed")));
  },
});

Deno.test({
  name: "probeTarget() against storescp +pz finds TLS 1.3 refused and exactly its four GCM suites",
  ignore,
  async fn() {
    const { report, ours } = await both("+pz");
    assert.deepEqual(ours, { "TLSv1.2": GCM });
    assert.equal(report.versions.find((v) => v.version === "TLSv1.3")?.status, "refused");
    assert.equal(evaluateProfile(report, profileByName("bcp195-ex")!).verdict, "compliant");
  },
});
