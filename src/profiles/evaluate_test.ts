import assert from "node:assert/strict";
import type { CertificateInfo, ClientHelloInfo } from "../outcome/mod.ts";
import { PROBED_VERSIONS, type ProbeReport, type VersionProbe } from "../probe/mod.ts";
import {
  buildClientHello,
  cipherSuite,
  type ClientHelloOptions,
  decodeClientHello,
  type ProtocolVersionName,
} from "../tls/wire/mod.ts";
import { evaluateClientHello, evaluateProfile } from "./evaluate.ts";
import { profileByName, PROFILES } from "./registry.ts";
import { suiteMatches } from "./suite_filter.ts";

type Suites = Partial<Record<ProtocolVersionName, string[]>>;

/** A probe report of a server accepting `suites` (IANA names) per version; other versions refused. */
function report(suites: Suites, extra: Partial<ProbeReport> = {}): ProbeReport {
  const versions: VersionProbe[] = PROBED_VERSIONS.map((version) => {
    const names = suites[version];
    return {
      version,
      status: names ? "accepted" : "refused",
      answer: names ? `ServerHello ${version}` : "alert protocol_version",
      suites: (names ?? []).map((name) => {
        const s = cipherSuite(name)!;
        const dh = s.kx === "DH" ? { dhBits: 2048, keyExchange: "DH 2048" } : {};
        return { code: s.code, name, ...dh };
      }),
      suitesProbed: names ? 100 : 0,
      suitesUnknown: [],
    };
  });
  return {
    target: { host: "127.0.0.1", port: 2762 },
    startedAt: "2026-11-30T00:00:00Z",
    durationMs: 1000,
    reached: true,
    versions,
    groups: [{ version: "TLSv1.2", accepted: ["secp256r1"], probed: 41, unknown: [] }],
    signatureAlgorithms: [],
    certificates: [certificate({})],
    hellos: { sent: 500, retries: 0, concurrency: 8, lowestConcurrency: 8 },
    notes: [],
    ...extra,
  };
}

function certificate(c: Partial<CertificateInfo>): CertificateInfo {
  return {
    subject: "CN=pacs",
    issuer: "CN=ca",
    serial: "01",
    notBefore: "2026-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    key: "RSA 2048",
    signatureAlgorithm: "sha256WithRSAEncryption",
    san: [],
    sha1: "",
    sha256: "",
    ...c,
  };
}

const GCM = [
  "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];
const TLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
const AES128_SHA = "TLS_RSA_WITH_AES_128_CBC_SHA";
/** What storescp +px accepts with an RSA key (measured, docs/probe.md). */
const PX: Suites = {
  "TLSv1": [AES128_SHA],
  "TLSv1.1": [AES128_SHA],
  "TLSv1.2": [AES128_SHA, ...GCM],
  "TLSv1.3": TLS13,
};
/** storescp +py. */
const PY: Suites = { "TLSv1.2": GCM, "TLSv1.3": TLS13 };
/** storescp +pz. */
const PZ: Suites = { "TLSv1.2": GCM };

const verdict = (suites: Suites, name: string, extra: Partial<ProbeReport> = {}) =>
  evaluateProfile(report(suites, { prefersTls13: true, ...extra }), profileByName(name)!);

Deno.test("evaluateProfile() finds +px non-compliant with B.10, naming TLS 1.0 and 1.1", () => {
  const v = verdict(PX, "bcp195-nd");
  assert.equal(v.verdict, "non-compliant");
  assert.deepEqual(v.violations, [
    "accepts TLS 1.0 (forbidden by PS3.15 B.10)",
    "accepts TLS 1.1 (forbidden by PS3.15 B.10)",
  ]);
  assert.deepEqual(v.warnings, [
    "accepts TLS_RSA_WITH_AES_128_CBC_SHA in TLS 1.0, TLS 1.1, TLS 1.2: RSA key transport, no forward secrecy (discouraged by PS3.15 B.10, RFC 7525 4.1)",
  ]);
});

Deno.test("evaluateProfile() finds +py compliant with B.10 and +px compliant with B.9 (with warnings)", () => {
  const py = verdict(PY, "B.10");
  assert.equal(py.verdict, "compliant", py.violations.join("; "));
  assert.deepEqual(py.warnings, []);
  const px = verdict(PX, "bcp195");
  assert.equal(px.verdict, "compliant");
  assert.ok(px.warnings.includes("accepts TLS 1.0 (discouraged by PS3.15 B.9, RFC 7525 3.1.1)"));
});

Deno.test("evaluateProfile() holds B.11 to its suite list: TLS 1.3 suites are other suites", () => {
  assert.equal(verdict(PZ, "bcp195-ex").verdict, "compliant");
  const py = verdict(PY, "bcp195-ex");
  assert.equal(py.verdict, "non-compliant");
  assert.deepEqual(
    py.violations,
    TLS13.map((s) => `accepts ${s} in TLS 1.3 (not permitted by PS3.15 B.11)`),
  );
});

Deno.test("evaluateProfile() names a missing required suite with the IHE section", () => {
  const v = verdict(
    { "TLSv1.2": GCM.filter((s) => !s.startsWith("TLS_ECDHE_RSA_WITH_AES_128")) },
    "ihe-atna-tls12",
  );
  assert.deepEqual(v.violations, [
    "does not accept required suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (IHE ITI TF-2 3.19.6.2.3)",
  ]);
});

Deno.test("evaluateProfile() checks B.12's TLS 1.3 preference, and not when TLS 1.3 is refused", () => {
  const chose12 = verdict(PY, "bcp195-rfc8996", { prefersTls13: false });
  assert.deepEqual(chose12.violations, [
    "chose TLS 1.2 when offered TLS 1.3 and 1.2 (required by PS3.15 B.12)",
  ]);
  const only12 = verdict(PZ, "B.12", { prefersTls13: undefined });
  assert.equal(only12.verdict, "compliant");
  const prefer = only12.requirements.find((r) => r.id === "prefer-tls13")!;
  assert.equal(prefer.status, "not-applicable");
});

Deno.test("evaluateProfile() checks key and hash minimums: DHE primes, ECDHE groups, certificates", () => {
  const weak = report(PY, {
    prefersTls13: true,
    groups: [{ version: "TLSv1.2", accepted: ["secp224r1", "secp256r1"], probed: 41, unknown: [] }],
    certificates: [
      certificate({ key: "RSA 1024", signatureAlgorithm: "sha1WithRSAEncryption" }),
      certificate({
        subject: "CN=root",
        issuer: "CN=root",
        signatureAlgorithm: "md5WithRSAEncryption",
      }),
    ],
  });
  weak.versions[3].suites[0].dhBits = 1024;
  const v = evaluateProfile(weak, profileByName("B.13")!);
  for (
    const expected of [
      "DHE group of 1024 bits in TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (TLS 1.2) (at least 2048 required by PS3.15 B.13)",
      "accepts ECDHE group secp224r1 of 224 bits (at least 256 required by PS3.15 B.13)",
      'certificate "CN=pacs" has a 1024-bit RSA key (at least 2048 bits required by PS3.15 B.13)',
      'certificate "CN=pacs" is signed with sha1WithRSAEncryption (forbidden by PS3.15 B.13)',
    ]
  ) assert.ok(v.violations.includes(expected), `${expected}\n in ${v.violations.join("\n")}`);
  assert.ok(
    !v.violations.some((x) => x.includes("CN=root")),
    "a self-signed root's signature is not checked",
  );
});

Deno.test("evaluateProfile() is undetermined, not compliant, when the target could not be probed", () => {
  const gone = report({}, {
    reached: false,
    error: "TCP: connect ECONNREFUSED",
    certificates: undefined,
  });
  for (const p of PROFILES) {
    const v = evaluateProfile(gone, p);
    assert.equal(v.verdict, "undetermined", p.name);
    assert.match(v.requirements[0].findings[0], /ECONNREFUSED/);
  }
});

Deno.test("evaluateProfile() gives no verdict, either way, on a target that changed under the probe", () => {
  const changed = "the target's answer to the TLSv1.2 hello changed after about 50 hellos: ...";
  // PX accepts TLS 1.0 (non-compliant with B.10), PZ is compliant: neither verdict stands.
  for (const found of [PX, PZ]) {
    const r = report(found, { prefersTls13: true, changed });
    for (const p of PROFILES) {
      const v = evaluateProfile(r, p);
      assert.equal(v.verdict, "undetermined", p.name);
      assert.equal(
        v.requirements[0].findings[0],
        `no verdict on a target that changed: ${changed}`,
      );
    }
  }
});

Deno.test("evaluateProfile() is undetermined when a forbidden version's probe found no answer", () => {
  const r = report(PY, { prefersTls13: true });
  r.versions[1] = { ...r.versions[1], status: "unknown", answer: "unknown: no answer" };
  const v = evaluateProfile(r, profileByName("bcp195-nd")!);
  assert.equal(v.verdict, "undetermined");
  const req = v.requirements.find((x) => x.id === "no-tls10-tls11")!;
  assert.deepEqual(req.findings, ["whether it accepts TLS 1.0 is not known"]);
});

Deno.test("evaluateProfile() passes no forbidden-suite rule while a suite of that kind found no answer", () => {
  const r = report(PZ, { prefersTls13: true });
  r.versions[3].suitesUnknown = [{ name: "TLS_RSA_WITH_RC4_128_SHA", why: "invalid answer: ..." }];
  const v = evaluateProfile(r, profileByName("bcp195")!);
  const rc4 = v.requirements.find((x) => x.id === "no-rc4")!;
  assert.equal(rc4.status, "unknown");
  assert.deepEqual(rc4.findings, [
    "whether it accepts TLS_RSA_WITH_RC4_128_SHA is not known (no valid answer to its hello)",
  ]);
  // An unknown suite of another kind hides nothing.
  assert.equal(v.requirements.find((x) => x.id === "no-null-encryption")?.status, "pass");
  assert.equal(v.verdict, "undetermined");
  // B.11 permits only its list: an unknown suite outside it may break it.
  const ex = evaluateProfile(r, profileByName("bcp195-ex")!);
  assert.equal(ex.verdict, "undetermined");
  assert.equal(evaluateProfile(report(PZ), profileByName("bcp195-ex")!).verdict, "compliant");
});

Deno.test("every profile's requirements have unique ids, a cite and suites the table knows", () => {
  for (const p of PROFILES) {
    const ids = p.requirements.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, p.name);
    for (const r of p.requirements) {
      assert.ok(r.cite.startsWith(p.section), `${p.name}/${r.id}: ${r.cite}`);
      const names = "suites" in r.rule ? r.rule.suites : [];
      for (const n of names) assert.ok(cipherSuite(n)?.iana === n, `${p.name}: ${n}`);
    }
  }
});

function hello(options: ClientHelloOptions): ClientHelloInfo {
  const bytes = buildClientHello(options);
  const decoded = decodeClientHello(bytes.subarray(9)); // record (5) and handshake (4) headers
  if ("error" in decoded) throw new Error(decoded.error);
  return decoded;
}

Deno.test("evaluateClientHello() judges what a client offers: versions, suites, groups", () => {
  const legacy = hello({
    versions: ["TLSv1.2", "TLSv1.1", "TLSv1"],
    cipherSuites: [AES128_SHA, "TLS_RSA_WITH_NULL_SHA"],
    groups: ["secp192r1", "secp256r1"],
  });
  const v = evaluateClientHello(legacy, profileByName("bcp195-ex")!);
  assert.equal(v.role, "client");
  for (
    const expected of [
      "offers TLS 1.0 (forbidden by PS3.15 B.11)",
      "offers TLS 1.1 (forbidden by PS3.15 B.11)",
      "does not offer required suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (PS3.15 B.11)",
      "offers TLS_RSA_WITH_NULL_SHA in TLS 1.0, TLS 1.1, TLS 1.2: NULL encryption (forbidden by PS3.15 B.11, RFC 7525 4.1)",
      "offers ECDHE group secp192r1 of 192 bits (at least 256 required by PS3.15 B.11)",
    ]
  ) assert.ok(v.violations.includes(expected), `${expected}\n in ${v.violations.join("\n")}`);
  const cert = v.requirements.find((r) => r.id === "certificate-rsa-2048");
  assert.equal(cert?.status, "not-applicable");
  const modern = hello({ versions: ["TLSv1.3", "TLSv1.2"], cipherSuites: [...TLS13, ...GCM] });
  assert.equal(evaluateClientHello(modern, profileByName("bcp195-nd")!).verdict, "compliant");
});

Deno.test("evaluateClientHello() leaves the oldest version unknown without supported_versions", () => {
  const v = evaluateClientHello(
    hello({ version: "TLSv1.2", cipherSuites: GCM }),
    profileByName("bcp195-nd")!,
  );
  assert.equal(v.verdict, "undetermined");
  assert.deepEqual(v.requirements.find((r) => r.id === "no-tls10-tls11")?.findings, [
    "whether it offers TLS 1.0 is not known",
    "whether it offers TLS 1.1 is not known",
  ]);
});

Deno.test("suiteMatches() reads the suite table: 3DES is below 128 bits, NULL is not 'below 112'", () => {
  assert.ok(suiteMatches(cipherSuite("DES-CBC3-SHA")!.code, { bitsBelow: 128 }));
  assert.ok(!suiteMatches(cipherSuite("DES-CBC3-SHA")!.code, { bitsBelow: 112 }));
  assert.ok(suiteMatches(cipherSuite("DES-CBC-SHA")!.code, { bitsBelow: 112 }));
  assert.ok(!suiteMatches(cipherSuite("NULL-SHA")!.code, { bitsBelow: 112 }));
  assert.ok(suiteMatches(cipherSuite("NULL-SHA")!.code, { enc: ["None"] }));
  assert.ok(suiteMatches(0x1301, { names: ["TLS_AES_128_GCM_SHA256"] }));
  assert.ok(!suiteMatches(0xfefe, { enc: ["None"] }), "an unknown code matches nothing");
});

Deno.test("evaluateProfile() turns no version of an unreached target into a violation, error or not", () => {
  // A report whose hellos were all closed without a TLS record: "refused" is no fact there.
  const closed = report({}, {
    reached: false,
    certificates: undefined,
    groups: [],
  });
  for (const v of closed.versions) v.answer = "closed without an answer";
  for (const p of PROFILES) {
    const v = evaluateProfile(closed, p);
    assert.equal(v.verdict, "undetermined", p.name);
    assert.deepEqual(v.violations, [], p.name);
    assert.match(v.requirements[0].findings[0], /no TLS answer/);
  }
});
