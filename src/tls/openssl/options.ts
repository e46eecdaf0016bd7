import type { Duplex } from "node:stream";
import { TLS_VERSIONS, type TlsVersion } from "../version.ts";
import { OpenSslError } from "./errors.ts";
import { opensslNames, type TlsNameList, tlsNameProblem } from "./names.ts";

/** A protocol version as OpenSSL names it; SSLv3 only to be refused by name (see `openRequest`). */
export type OpenSslVersion = TlsVersion | "SSLv3";

const VERSIONS: readonly OpenSslVersion[] = ["SSLv3", ...TLS_VERSIONS];

/** What both roles can ask of the OpenSSL stack. Defaults are OpenSSL's, at security level 0. */
export interface OpenSslTlsOptions {
  /** The TCP socket (or any Duplex) that carries the TLS records; the caller owns it. */
  ciphertext: Duplex;
  /** Lowest version offered/accepted; default TLSv1.2. SSLv3 is not available (no-ssl3 build). */
  minVersion?: OpenSslVersion;
  /** Highest version; default TLSv1.3. */
  maxVersion?: OpenSslVersion;
  /** TLS 1.2-and-older suites, IANA or OpenSSL names, in preference order; default OpenSSL's DEFAULT. */
  ciphers?: string[];
  /** TLS 1.3 suites (IANA names); default OpenSSL's three. */
  ciphersuites?: string[];
  /** Groups (curves, FFDHE), e.g. ["P-256", "X25519", "ffdhe2048"]; default OpenSSL's. */
  groups?: string[];
  /** Signature algorithms, e.g. ["rsa_pss_rsae_sha256", "ECDSA+SHA256"]; default OpenSSL's. */
  sigalgs?: string[];
  /** Our certificate, PEM, followed by its intermediates. */
  cert?: string;
  /** Our private key, PEM. */
  key?: string;
  /** Password of an encrypted key. */
  passphrase?: string;
  /** Trust anchors, PEM: the CA names a server puts in its CertificateRequest. Nothing is verified. */
  ca?: string[];
  /** ALPN protocols offered (client) or accepted (server). */
  alpn?: string[];
  /** Handshake deadline; none when omitted (then the caller closes `ciphertext` to give up). */
  timeoutMs?: number;
}

/**
 * Options of `OpenSslEngine.connect` (client role).
 *
 * @example
 * ```ts
 * declare const socket: import("node:net").Socket;
 * const legacy: OpenSslConnectOptions = {
 *   ciphertext: socket, minVersion: "TLSv1", maxVersion: "TLSv1.1",
 *   ciphers: ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"], timeoutMs: 5000,
 * };
 * ```
 */
export interface OpenSslConnectOptions extends OpenSslTlsOptions {
  /** SNI; none when omitted. */
  servername?: string;
}

/**
 * Options of `OpenSslEngine.accept` (server role).
 *
 * @example
 * ```ts
 * declare const socket: import("node:net").Socket;
 * declare const cert: string, key: string, root: string;
 * const weakServer: OpenSslAcceptOptions = {
 *   ciphertext: socket, cert, key, minVersion: "TLSv1", maxVersion: "TLSv1",
 *   ciphers: ["AES128-SHA"], requestCert: true, ca: [root],
 * };
 * ```
 */
export interface OpenSslAcceptOptions extends OpenSslTlsOptions {
  /** Ask for a client certificate (never required by OpenSSL: our verifier decides). */
  requestCert?: boolean;
  /** DHE parameters, PEM; default OpenSSL's automatic choice by key size. */
  dhparam?: string;
  /** Pick the suite by our order rather than the client's. */
  honorCipherOrder?: boolean;
}

/** The open request a conversation starts with (the helper's wire form). */
export interface OpenRequest {
  /** Always "open". */
  type: "open";
  /** Client or server. */
  role: "client" | "server";
  /** The secure context options, as the helper gives them to Node. */
  context: Record<string, unknown>;
  /** SNI (client role). */
  servername?: string;
  /** ALPN protocols. */
  alpn?: string[];
  /** Ask for a client certificate (server role). */
  requestCert?: boolean;
  /** More options the helper passes on. */
  [key: string]: unknown;
}

/**
 * Checks the options and translates them for the helper: suite, group and
 * signature algorithm names to OpenSSL's (see `tlsNameProblem`, the one
 * check of them), the cipher string with `@SECLEVEL=0` (so that 512-bit RSA
 * keys, MD5/SHA-1 signatures, DSA keys and TLS 1.0 are allowed). Throws an
 * {@linkcode OpenSslError} of kind `local`, phase `input`, naming the bad value.
 *
 * @example
 * ```ts
 * declare const socket: import("node:stream").Duplex;
 * const open = openRequest("client", {
 *   ciphertext: socket, minVersion: "TLSv1", maxVersion: "TLSv1",
 *   ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
 * });
 * open.context.ciphers; // "AES128-SHA:@SECLEVEL=0"
 * ```
 */
export function openRequest(
  role: "client" | "server",
  options: OpenSslConnectOptions | OpenSslAcceptOptions,
): OpenRequest {
  const minVersion = version(options.minVersion ?? "TLSv1.2", "minVersion");
  const maxVersion = version(options.maxVersion ?? "TLSv1.3", "maxVersion");
  if (VERSIONS.indexOf(minVersion) > VERSIONS.indexOf(maxVersion)) {
    throw inputError(`minVersion ${minVersion} is above maxVersion ${maxVersion}`);
  }
  const accept = options as OpenSslAcceptOptions;
  const connect = options as OpenSslConnectOptions;
  const context: Record<string, unknown> = {
    minVersion,
    maxVersion,
    ...cipherString(options),
    groups: names(options.groups, "groups")?.join(":"),
    sigalgs: names(options.sigalgs, "sigalgs")?.join(":"),
    cert: options.cert,
    key: options.key,
    passphrase: options.passphrase,
    ca: options.ca,
    ...(role === "server" ? { dhparam: accept.dhparam } : {}),
    ...(role === "server" ? { honorCipherOrder: accept.honorCipherOrder } : {}),
  };
  return {
    type: "open",
    role,
    context: JSON.parse(JSON.stringify(context)),
    ...(role === "client" && connect.servername ? { servername: connect.servername } : {}),
    ...(options.alpn?.length ? { alpn: options.alpn } : {}),
    ...(role === "server" ? { requestCert: accept.requestCert === true } : {}),
  };
}

function version(value: string, option: string): OpenSslVersion {
  if (value === "SSLv3") {
    throw inputError(
      `${option} SSLv3 cannot be offered: Node's OpenSSL (and Debian's) is built without SSL 3.0 (no-ssl3)`,
    );
  }
  if (!VERSIONS.includes(value as OpenSslVersion)) {
    throw inputError(`${option} '${value}' is not one of ${VERSIONS.slice(1).join(", ")}`);
  }
  return value as OpenSslVersion;
}

function cipherString(options: OpenSslTlsOptions): { ciphers: string; named: string[] } {
  const tls13 = names(options.ciphersuites, "ciphersuites") ?? [];
  const tls12 = names(options.ciphers, "ciphers") ?? [];
  // OpenSSL needs at least one TLS 1.2 suite to take the security level, and
  // OpenSSL's DEFAULT is what "no choice" means. The helper checks that each
  // named suite exists in its OpenSSL: a cipher list skips unknown names.
  const ciphers = [...tls13, ...(tls12.length ? tls12 : ["DEFAULT"]), "@SECLEVEL=0"].join(":");
  return { ciphers, named: [...tls13, ...tls12] };
}

// The names as OpenSSL takes them, or the first bad one as an input error.
function names(values: string[] | undefined, list: TlsNameList): string[] | undefined {
  if (!values?.length) return undefined;
  const problem = tlsNameProblem(list, values);
  if (problem) throw inputError(`${list}: ${problem.message} (hint: ${problem.hint})`);
  return opensslNames(list, values);
}

function inputError(message: string): OpenSslError {
  return new OpenSslError(`Cannot use the OpenSSL stack: ${message}`, {
    kind: "local",
    phase: "input",
  });
}
