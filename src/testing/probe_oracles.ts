/**
 * The oracles the prober is checked against: `openssl s_client -cipher X`
 * / `-ciphersuites X` per suite and version (with a client certificate, so
 * it completes handshakes with servers that require one), and testssl.sh
 * `-p -E` (its JSON file read back). Both give per-version lists of IANA
 * suite names, as does {@linkcode probedSuites} for a probe report.
 *
 * @module
 */
import type { ProbeReport } from "../probe/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";
import { startStorescp, type Storescp } from "./peers.ts";
import type { PkiResult } from "./pki.ts";
import { pkiFile } from "./pki.ts";

/** Versions both oracles and the prober speak (this OpenSSL has no SSL 3.0). */
export type OracleVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** Per version, the accepted suites by IANA name, sorted; a version absent was not accepted. */
export type SuitesByVersion = Partial<Record<OracleVersion, string[]>>;

const FLAG: Record<OracleVersion, string> = {
  "TLSv1": "-tls1",
  "TLSv1.1": "-tls1_1",
  "TLSv1.2": "-tls1_2",
  "TLSv1.3": "-tls1_3",
};
const TLS13_SUITES = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "TLS_AES_128_CCM_SHA256",
  "TLS_AES_128_CCM_8_SHA256",
];

/**
 * The accepted suites of a probe report, per version, as {@linkcode SuitesByVersion}.
 *
 * @example
 * ```ts
 * import { probedSuites } from "./probe_oracles.ts";
 * import type { ProbeReport } from "../probe/mod.ts";
 * declare const report: ProbeReport;
 * probedSuites(report)["TLSv1"]; // ["TLS_RSA_WITH_AES_128_CBC_SHA"]
 * ```
 */
export function probedSuites(report: ProbeReport): SuitesByVersion {
  const out: SuitesByVersion = {};
  for (const v of report.versions) {
    if (v.status !== "accepted" || v.version === "SSLv3") continue;
    out[v.version] = v.suites.map((s) => s.name).sort();
  }
  return out;
}

/**
 * Every suite this OpenSSL knows that is valid in `version` (TLS 1.3: its
 * five), by OpenSSL name: `openssl ciphers 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'`,
 * but the PSK and SRP suites: s_client offers those only with `-psk` or
 * `-srpuser`, and without them ends in "no ciphers available" before it
 * sends a byte (all 66, at TLS 1.0, 1.1 and 1.2), so no server could be
 * seen accepting one. Leaving them out spares 150 of the 298 s_client runs
 * of {@linkcode opensslFindings} (each ~45 ms of OpenSSL start-up) and
 * changes none of its findings; `openssl ciphers -s` leaves out the same 66.
 *
 * @example
 * ```ts
 * import { opensslSuites } from "./probe_oracles.ts";
 * (await opensslSuites("TLSv1.2")).includes("ECDHE-RSA-AES128-GCM-SHA256"); // true
 * ```
 */
export async function opensslSuites(version: OracleVersion): Promise<string[]> {
  if (version === "TLSv1.3") return TLS13_SUITES;
  const out = await new Deno.Command("openssl", {
    args: ["ciphers", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout).trim().split(":")
    .filter((name) => !name.startsWith("TLS_") && !/PSK|SRP/.test(name))
    .filter((name) => cipherSuite(name)?.versions.includes(version) ?? true);
}

/** Options of {@linkcode opensslFindings}. */
export interface OpensslOracleOptions extends SClientTarget {
  /** s_client processes at once; default 4. */
  concurrency?: number;
}

/**
 * What `openssl s_client` negotiates with each suite alone, per version:
 * `-tls1` ... `-tls1_3` with `-cipher X:@SECLEVEL=0` (or `-ciphersuites X`),
 * presenting the client certificate. A suite is accepted when the
 * handshake ends with exactly that version and suite.
 *
 * @example
 * ```ts
 * import { opensslFindings } from "./probe_oracles.ts";
 * const found = await opensslFindings({ port: 11112, cert: "client.crt", key: "client.key" });
 * console.log(found["TLSv1.2"]);
 * ```
 */
export async function opensslFindings(options: OpensslOracleOptions): Promise<SuitesByVersion> {
  const jobs: [OracleVersion, string][] = [];
  for (const v of Object.keys(FLAG) as OracleVersion[]) {
    for (const s of await opensslSuites(v)) jobs.push([v, s]);
  }
  const found: SuitesByVersion = {};
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      const [version, suite] = jobs[i];
      if (await _sClientAccepts(options, version, suite)) {
        (found[version] ??= []).push(cipherSuite(suite)?.iana ?? suite);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  for (const list of Object.values(found)) list.sort();
  return found;
}

async function _sClientAccepts(
  o: OpensslOracleOptions,
  version: OracleVersion,
  suite: string,
): Promise<boolean> {
  const negotiated = await sClientNegotiates(o, version, suite);
  return negotiated?.protocol === version && negotiated.cipher === suite;
}

/** Where `openssl s_client` connects, with the client certificate it presents. */
export interface SClientTarget {
  port: number;
  /** Client certificate (PEM chain) and key. */
  cert: string;
  key: string;
}

/**
 * What `openssl s_client` offering only `suite` (OpenSSL name) at `version`
 * negotiated with 127.0.0.1:`port`: the version and suite (OpenSSL names),
 * or undefined when the handshake did not complete.
 *
 * @example
 * ```ts
 * import { sClientNegotiates } from "./probe_oracles.ts";
 * const n = await sClientNegotiates({ port: 11112, cert: "client.crt", key: "client.key" }, "TLSv1.2", "AES128-SHA");
 * console.log(n?.cipher);
 * ```
 */
export async function sClientNegotiates(
  o: SClientTarget,
  version: OracleVersion,
  suite: string,
): Promise<{ protocol: string; cipher: string } | undefined> {
  const tls13 = version === "TLSv1.3";
  const { stdout, stderr } = await new Deno.Command("openssl", {
    args: [
      "s_client",
      "-connect",
      `127.0.0.1:${o.port}`,
      "-brief",
      FLAG[version],
      ...(tls13 ? ["-ciphersuites", suite] : ["-cipher", `${suite}:@SECLEVEL=0`]),
      "-cert",
      o.cert,
      "-key",
      o.key,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  const protocol = /Protocol version: (\S+)/.exec(text)?.[1];
  const cipher = /Ciphersuite: (\S+)/.exec(text)?.[1];
  return protocol && cipher ? { protocol, cipher } : undefined;
}

/** What testssl.sh found, and how long it took. */
export interface TestsslFindings {
  /** Per version: "offered" or "not offered" (its words, shortened). */
  versions: Partial<Record<OracleVersion | "SSLv3", string>>;
  suites: SuitesByVersion;
  seconds: number;
}

const TESTSSL_VERSION: Record<string, OracleVersion> = {
  "tls1": "TLSv1",
  "tls1_1": "TLSv1.1",
  "tls1_2": "TLSv1.2",
  "tls1_3": "TLSv1.3",
};

/** Options of {@linkcode testsslFindings}. */
export interface TestsslOptions {
  /**
   * Adds `--fast`: `-E` then offers only the suites the local OpenSSL
   * implements (through `openssl s_client`), not also the ~300 others
   * through testssl.sh's own bash sockets; `-p` still tests every version
   * (SSLv2 and SSLv3 too) through sockets. A server built on that same
   * OpenSSL (storescp) can accept no other suite: on storescp +px -rc,
   * +py -rc and +pz -ic the JSON's versions and suites were identical to
   * the default's (but for NPN, which `--fast` skips and we do not read),
   * in about half the time (29 vs 56 s on +px, same load). Not for a
   * target that may accept a suite this OpenSSL's s_client does not offer
   * (e.g. NULL or GOST suites): leave it off there. Default false (the
   * bench measures testssl.sh's default).
   */
  fast?: boolean;
}

/**
 * Runs `testssl -p -E` (testssl.sh 3.0: protocols, and suites per
 * protocol) against 127.0.0.1:port and reads its JSON file: per version
 * whether it is offered, and the suites (IANA names, the last column of
 * each `cipher-tls1_2_xNN` finding).
 *
 * @example
 * ```ts
 * import { testsslFindings } from "./probe_oracles.ts";
 * const t = await testsslFindings(11112, { fast: true });
 * console.log(t.seconds, t.suites["TLSv1.2"]);
 * ```
 */
export async function testsslFindings(
  port: number,
  options: TestsslOptions = {},
): Promise<TestsslFindings> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-testssl-" });
  try {
    const began = performance.now();
    await new Deno.Command("testssl", {
      args: [
        "-p",
        "-E",
        ...(options.fast ? ["--fast"] : []),
        "--quiet",
        "--color",
        "0",
        "--jsonfile",
        `${dir}/t.json`,
        `127.0.0.1:${port}`,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    const seconds = (performance.now() - began) / 1000;
    const entries: { id: string; finding: string }[] = JSON.parse(
      await Deno.readTextFile(`${dir}/t.json`),
    );
    const out: TestsslFindings = { versions: {}, suites: {}, seconds };
    for (const e of entries) {
      const v = /^(SSLv3|TLS1(?:_[123])?)$/.exec(e.id)?.[1];
      if (v) {
        const name = v === "SSLv3" ? "SSLv3" : TESTSSL_VERSION[v.toLowerCase()];
        out.versions[name] = e.finding.startsWith("offered") ? "offered" : "not offered";
      }
      const c = /^cipher-(tls1(?:_[123])?)_x[0-9a-f]+$/.exec(e.id);
      if (c) (out.suites[TESTSSL_VERSION[c[1]]] ??= []).push(e.finding.trim().split(/\s+/).at(-1)!);
    }
    for (const list of Object.values(out.suites)) list.sort();
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The storescp configurations of issue 12: a profile flag, and a client certificate required or not. */
export interface StorescpProfileOptions {
  pki: PkiResult;
  /** "+py" (default profile), "+px" or "+pz". */
  profile: "+py" | "+px" | "+pz";
  /** `-rc` (require a client certificate) when true, `-ic` (ignore) when false. */
  requireClientCertificate: boolean;
}

/**
 * storescp +tls with the RSA server key and one profile flag, requiring a
 * client certificate or ignoring it.
 *
 * @example
 * ```ts
 * import { startStorescpProfile } from "./probe_oracles.ts";
 * import { testPki } from "./pki.ts";
 * const scp = await startStorescpProfile({ pki: await testPki(), profile: "+px", requireClientCertificate: true });
 * await scp.stop();
 * ```
 */
export function startStorescpProfile(options: StorescpProfileOptions): Promise<Storescp> {
  const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(options.pki, name, kind);
  return startStorescp({
    cert: file("server-rsa", "chain"),
    key: file("server-rsa", "key"),
    trust: [file("root", "crt")],
    flags: [options.profile, options.requireClientCertificate ? "-rc" : "-ic"],
  });
}
