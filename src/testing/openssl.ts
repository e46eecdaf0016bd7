/**
 * OpenSSL as the oracle for certificate verdicts, shared by the PKI tests and
 * our path checker's tests: `openssl verify` with the standard trust (every
 * trusted root), every CRL, security level 2 (RSA >= 2048, no SHA-1) and the
 * entry's purpose, its error code read in our vocabulary.
 *
 * @module
 */
import { join } from "node:path";
import type { PkiEntry, PkiResult } from "../pki/mod.ts";

/**
 * Runs openssl and returns its exit code and stdout + stderr.
 *
 * @example
 * ```ts
 * import { openssl } from "./openssl.ts";
 * const { code, out } = await openssl("version");
 * ```
 */
export async function openssl(...args: string[]): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command("openssl", {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

// OpenSSL's X509_V_ERR codes, in our vocabulary (src/outcome/reasons.ts).
const OPENSSL_REASONS: Record<number, string> = {
  2: "unknown-issuer",
  7: "bad-signature",
  8: "bad-signature",
  9: "not-yet-valid",
  10: "expired",
  18: "self-signed",
  19: "unknown-issuer",
  20: "unknown-issuer",
  23: "revoked",
  24: "not-a-ca",
  25: "path-too-long",
  26: "wrong-usage",
  66: "weak-key",
  67: "weak-key",
  68: "weak-hash",
};

/**
 * `openssl verify`'s verdict on one certificate of a PKI: "valid" or a reason.
 *
 * @example
 * ```ts
 * import { opensslVerdict } from "./openssl.ts";
 * import { testPki } from "./pki.ts";
 * const pki = await testPki();
 * await opensslVerdict(pki, pki.manifest.entries[0]); // "valid" for the root
 * ```
 */
export async function opensslVerdict(pki: PkiResult, entry: PkiEntry): Promise<string> {
  const file = (name: string) => join(pki.dir, name);
  const entries = pki.manifest.entries;
  const { code, out } = await openssl(
    "verify",
    // -trusted may be repeated; of several -CAfile flags only the last counts.
    ...entries.filter((e) => e.trusted).flatMap((r) => ["-trusted", file(r.files.crt)]),
    ...(entry.files.chain ? ["-untrusted", file(entry.files.chain)] : []),
    ...entries.flatMap((e) => (e.files.crl ? ["-CRLfile", file(e.files.crl)] : [])),
    "-crl_check_all",
    "-auth_level",
    "2",
    ...(entry.expectedFor
      ? ["-purpose", entry.expectedFor === "client" ? "sslclient" : "sslserver"]
      : []),
    file(entry.files.crt),
  );
  if (code === 0) return "valid";
  const error = Number(/error (\d+) at/.exec(out)?.[1]);
  return OPENSSL_REASONS[error] ?? `openssl error ${error}: ${out.trim()}`;
}
