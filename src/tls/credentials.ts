import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import type { CertificateInfo, VerificationReason } from "../outcome/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { INPUT_LIMITS, readInputFile, UnreadableInput } from "../yaml/read_input.ts";
import { _pem, _pemBlocks } from "./_pem.ts";
import { certificateInfo } from "./certificate_info.ts";

/** Our own certificate and key for a TLS connection, ready for `node:tls`. */
export interface TlsCredentials {
  /** PEM: our certificate, then the chain certificates we send with it. */
  cert: string;
  /** PEM private key. */
  key: string;
  /** DER, our certificate first. */
  chain: Uint8Array[];
  /** Our certificate, for the report. */
  certificate: CertificateInfo;
  /** Where they came from (file paths), for messages. */
  source: string;
}

/** Where to load credentials from: PEM files, or a PKCS#12 file and its password. */
export type CredentialsSource =
  | { cert: string; key: string; chain?: string | string[]; password?: string }
  | { p12: string; password?: string };

/**
 * A credentials file we cannot use: unreadable, not PEM/PKCS#12, wrong
 * password, or a key that does not belong to the certificate (`reason`
 * "key-mismatch"). A user error: exit 2, one line.
 *
 * @example
 * ```ts
 * import { CredentialsError, loadCredentials } from "./credentials.ts";
 * try { await loadCredentials({ cert: "a.crt", key: "b.key" }); }
 * catch (e) { if (e instanceof CredentialsError && e.reason === "key-mismatch") console.log(e.message); }
 * ```
 */
export class CredentialsError extends InputError {
  /** The error name, "CredentialsError". */
  override name = "CredentialsError";
  /** The verification reason it amounts to, e.g. "key-mismatch". */
  readonly reason?: VerificationReason;

  /** An error about `file`, with a hint and the reason when there is one. */
  constructor(
    options: { file: string; message: string; hint?: string; reason?: VerificationReason },
  ) {
    super({ message: options.message, location: { file: options.file }, hint: options.hint });
    this.reason = options.reason;
  }
}

/**
 * Loads our certificate and private key from PEM files (with an optional
 * chain) or from a PKCS#12 file (RSA or EC keys), and checks that the key
 * belongs to the certificate before any connection is made.
 *
 * @example
 * ```ts
 * import { loadCredentials } from "./credentials.ts";
 * const mine = await loadCredentials({ cert: "client.crt", key: "client.key" });
 * const same = await loadCredentials({ p12: "client.p12", password: "secret" });
 * ```
 */
export async function loadCredentials(source: CredentialsSource): Promise<TlsCredentials> {
  if ("p12" in source) {
    // node-forge only when a PKCS#12 file is read: a one-shot echo with PEM files does not pay for it.
    const { decodePkcs12, MAX_PKCS12_ITERATIONS, Pkcs12IterationsError } = await import(
      "./_pkcs12.ts"
    );
    const bytes = await readFile(source.p12);
    let contents;
    try {
      contents = decodePkcs12(bytes, source.password ?? "");
    } catch (e) {
      if (e instanceof Pkcs12IterationsError) {
        throw new CredentialsError({
          file: source.p12,
          message: `cannot open PKCS#12 file: it asks for ${e.count.toLocaleString("en")} ` +
            `key derivation iterations, more than the ${
              MAX_PKCS12_ITERATIONS.toLocaleString("en")
            } dicomtls computes for one file (OpenSSL writes 2,048)`,
          hint:
            "export it again with the default count: openssl pkcs12 -in FILE -nodes -out ALL.pem, " +
            "then openssl pkcs12 -export -in ALL.pem -out NEW.p12",
        });
      }
      const message = (e as Error).message;
      const wrongPassword = /password|MAC could not be verified|decrypt/i.test(message);
      // Without a password, "wrong password" would send people looking for a typo.
      const missing = wrongPassword && source.password === undefined;
      // A PEM certificate or key given as PKCS#12: say what it is.
      const pem = /^\s*-----BEGIN ([A-Z0-9 ]+)-----/.exec(
        new TextDecoder().decode(bytes.slice(0, 64)),
      )
        ?.[1].toLowerCase();
      throw new CredentialsError({
        file: source.p12,
        message: missing
          ? "cannot open PKCS#12 file: it is protected by a password and none was given"
          : wrongPassword
          ? "cannot open PKCS#12 file: wrong password"
          : pem
          ? `not a PKCS#12 file: it is PEM text (${pem})`
          : bytes[0] !== 0x30
          // node-forge's "Only 8, 16, 24, or 32 bits supported: 704" for a JPEG or an empty file.
          ? `not a PKCS#12 file: ${
            bytes.length ? "it does not start as DER does (0x30)" : "it is empty"
          }`
          : `not a PKCS#12 file: ${message}`,
        hint: missing
          ? "give --password"
          : wrongPassword
          ? "check --password"
          : "a PKCS#12 file (.p12, .pfx) is binary; give PEM files as --cert and --key",
      });
    }
    if (contents.keys.length === 0 || contents.certificates.length === 0) {
      throw new CredentialsError({
        file: source.p12,
        message:
          `PKCS#12 file holds ${contents.keys.length} key(s) and ${contents.certificates.length} certificate(s)`,
        hint: "it must hold our private key and its certificate",
      });
    }
    // Our key is the first with its certificate in the file (a file may hold several keys),
    // our certificate the one whose public key matches; the rest is the chain.
    const certificates = contents.certificates.map((der) => certificateOrNone(der));
    const pairs = contents.keys.map((pem) => {
      const key = privateKey(pem, source.p12);
      return { pem, leaf: certificates.findIndex((c) => c?.checkPrivateKey(key) ?? false) };
    });
    const { pem, leaf } = pairs.find((p) => p.leaf >= 0) ?? pairs[0];
    if (leaf < 0 && contents.keys.length > 1) {
      throw new CredentialsError({
        file: source.p12,
        message: `none of the ${contents.keys.length} private keys of the PKCS#12 file belongs ` +
          `to one of its ${contents.certificates.length} certificate(s)`,
        hint: "export the key with its certificate: openssl pkcs12 -export -in CERT -inkey KEY",
        reason: "key-mismatch",
      });
    }
    const ordered = leaf < 0
      ? contents.certificates
      : [contents.certificates[leaf], ...contents.certificates.filter((_, i) => i !== leaf)];
    return credentialsFromPem({ cert: pemCertificates(ordered), key: pem, source: source.p12 });
  }
  const chainFiles = typeof source.chain === "string" ? [source.chain] : source.chain ?? [];
  const certText = [await readText(source.cert), ...await Promise.all(chainFiles.map(readText))]
    .join("\n");
  return credentialsFromPem({
    cert: certText,
    key: await readText(source.key),
    password: source.password,
    source: source.cert,
    keySource: source.key,
  });
}

/**
 * Credentials from PEM text already in memory (our certificate first, then
 * its chain), with the same checks as {@linkcode loadCredentials}.
 *
 * @example
 * ```ts
 * import { credentialsFromPem } from "./credentials.ts";
 * declare const certPem: string, keyPem: string;
 * const mine = credentialsFromPem({ cert: certPem, key: keyPem, source: "test" });
 * ```
 */
export function credentialsFromPem(options: {
  cert: string;
  key: string;
  password?: string;
  source: string;
  keySource?: string;
}): TlsCredentials {
  const { source } = options;
  checkPemKinds(options);
  let chain: Uint8Array[];
  try {
    chain = _pemBlocks(options.cert);
  } catch (e) {
    throw new CredentialsError({
      file: source,
      message: `not a PEM certificate: ${(e as Error).message}`,
      hint: "between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- goes base64; " +
        "openssl x509 -in FILE -noout -subject says whether the file is one",
    });
  }
  if (chain.length === 0) {
    throw new CredentialsError({
      file: source,
      message: "no PEM certificate found",
      hint: "expected -----BEGIN CERTIFICATE-----",
    });
  }
  let certificate: CertificateInfo;
  let node: X509Certificate;
  try {
    certificate = certificateInfo(chain[0]);
    node = new X509Certificate(chain[0]);
  } catch (e) {
    throw new CredentialsError({
      file: source,
      message: `invalid certificate: ${(e as Error).message}`,
      reason: "malformed",
    });
  }
  const key = privateKey(options.key, options.keySource ?? source, options.password);
  if (!node.checkPrivateKey(key)) {
    throw new CredentialsError({
      file: options.keySource ?? source,
      message: `private key does not belong to the certificate ${certificate.subject}`,
      hint: "give the key that was generated with this certificate",
      reason: "key-mismatch",
    });
  }
  return {
    cert: pemCertificates(chain),
    key: key.export({ type: "pkcs8", format: "pem" }) as string,
    chain,
    certificate,
    source,
  };
}

// A key where the certificate belongs (or the reverse) is a mix-up, not a parse error.
function checkPemKinds(options: { cert: string; key: string; source: string; keySource?: string }) {
  const kinds = (pem: string) =>
    [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  const certKinds = kinds(options.cert);
  const keyKinds = kinds(options.key);
  const swapped = "the certificate and the key are swapped? The certificate file starts " +
    "-----BEGIN CERTIFICATE-----, the key file -----BEGIN PRIVATE KEY-----";
  if (certKinds.length && !certKinds.includes("CERTIFICATE")) {
    throw new CredentialsError({
      file: options.source,
      message: `holds a ${certKinds[0].toLowerCase()}, not a certificate`,
      hint: certKinds[0].includes("KEY") ? swapped : "expected -----BEGIN CERTIFICATE-----",
    });
  }
  if (keyKinds.length && keyKinds.every((k) => !k.includes("KEY"))) {
    throw new CredentialsError({
      file: options.keySource ?? options.source,
      message: `holds a ${keyKinds[0].toLowerCase()}, not a private key`,
      hint: keyKinds[0] === "CERTIFICATE" ? swapped : "expected -----BEGIN PRIVATE KEY-----",
    });
  }
}

// A certificate of a PKCS#12 file, or none when Node cannot read it (credentialsFromPem says why).
function certificateOrNone(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

function privateKey(pem: string, file: string, password?: string): KeyObject {
  try {
    return createPrivateKey({
      key: pem,
      format: "pem",
      ...(password ? { passphrase: password } : {}),
    });
  } catch (e) {
    // OpenSSL's "DECODER routines::unsupported" says nothing to whoever gave a JPEG or a DER key,
    // nor its "interrupted or cancelled" to whoever gave an encrypted key without its password.
    const pemKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);
    if (!password && /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
      throw new CredentialsError({
        file,
        message: "the private key is encrypted and no password opens it",
        hint: "decrypt it (openssl pkey -in KEY -out PLAIN.key, then chmod 600 PLAIN.key), " +
          "or give a PKCS#12 file and its password",
      });
    }
    throw new CredentialsError({
      file,
      message: pemKey
        ? `not a usable private key: ${(e as Error).message}`
        : "not a private key in PEM (no -----BEGIN PRIVATE KEY----- block)",
      hint: pemKey
        ? "check the key file (and its password, if it is encrypted)"
        : "give the PEM private key of the certificate (openssl pkey -in KEY.der -inform DER converts a DER key)",
    });
  }
}

// One PEM block per certificate, each ending with a newline: rustls reads only
// the first block of "-----END CERTIFICATE----------BEGIN CERTIFICATE-----",
// and the intermediates would never be sent.
function pemCertificates(chain: readonly Uint8Array[]): string {
  return chain.map((der) => `${_pem(der)}\n`).join("");
}

// Bounded: a certificate, key or PKCS#12 file is a few KiB; /dev/zero or a disk image is not one.
async function readFile(path: string): Promise<Uint8Array> {
  try {
    return await readInputFile(path, {
      what: "certificate, key or PKCS#12 file",
      maxBytes: INPUT_LIMITS.credentials,
    });
  } catch (e) {
    if (!(e instanceof UnreadableInput)) throw e;
    throw new CredentialsError({
      file: path,
      message: `cannot read file: ${e.reason}`,
      hint: e.hint,
    });
  }
}

async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readFile(path));
}
