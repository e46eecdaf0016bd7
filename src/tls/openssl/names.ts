import { closest } from "../../yaml/closest.ts";
import { CIPHER_SUITES, type CipherSuite, cipherSuite } from "../wire/cipher_suites.ts";
import { namedGroup, signatureScheme } from "../wire/names.ts";
import { NAMED_GROUP_ROWS } from "../wire/data/named_groups.ts";
import { SIGNATURE_SCHEME_ROWS } from "../wire/data/signature_schemes.ts";

/** The lists of names a party gives the OpenSSL stack (flags, YAML keys, connect options). */
export type TlsNameList = "ciphers" | "ciphersuites" | "groups" | "sigalgs";

/** The first bad name of a list: which entry, what is wrong, how to fix it. */
export interface TlsNameProblem {
  /** The list it is in. */
  list: TlsNameList;
  /** Its 0-based position in the list. */
  index: number;
  /** What is wrong, naming the entry, e.g. "unknown group 'P-265'". */
  message: string;
  /** How to fix it, e.g. "did you mean 'P-256'?". */
  hint: string;
}

/** Options of {@linkcode tlsNameProblem}. */
export interface TlsNameOptions {
  /** How the caller spells a list in hints ("--ciphersuites", "ciphersuites"); default the list's name. */
  spell?: (list: TlsNameList) => string;
}

/**
 * A list as written: a list as is, or a string split at its commas; entries
 * trimmed (an empty entry stays, for {@linkcode tlsNameProblem} to refuse).
 *
 * @example
 * ```ts
 * import { tlsNameList } from "./names.ts";
 * tlsNameList("P-256, X25519"); // ["P-256", "X25519"]
 * tlsNameList("A,,B"); // ["A", "", "B"]
 * ```
 */
export function tlsNameList(value: string | readonly string[]): string[] {
  return (typeof value === "string" ? value.split(",") : [...value]).map((v) => v.trim());
}

/**
 * The first name of `names` the OpenSSL stack cannot be asked for, or
 * undefined: the one check of suites, groups and signature algorithms,
 * whether they come from a flag, a YAML key or the library. Known are the
 * IANA names and OpenSSL's (any case): suites of `src/tls/wire`'s table
 * with an OpenSSL name, groups (`P-256`, `X25519`, `ffdhe2048`...),
 * signature schemes and `SIG+HASH` (`ECDSA+SHA1`). Whether the OpenSSL at
 * hand was built with a known name is only known when it is asked (the
 * helper then refuses it by name).
 *
 * @example
 * ```ts
 * import { tlsNameProblem } from "./names.ts";
 * tlsNameProblem("groups", ["P-256", "X25519"]); // undefined
 * tlsNameProblem("ciphers", ["TLS_AES_128_GCM_SHA256"], { spell: (l) => `--${l}` })?.hint;
 * // "TLS 1.3 suites go to --ciphersuites"
 * ```
 */
export function tlsNameProblem(
  list: TlsNameList,
  names: readonly string[],
  options: TlsNameOptions = {},
): TlsNameProblem | undefined {
  const spell = options.spell ?? ((l: TlsNameList) => l);
  for (const [index, name] of names.entries()) {
    const found = _resolve(list, name, spell);
    if ("message" in found) return { list, index, ...found };
  }
  return undefined;
}

/**
 * The names as this OpenSSL is given them: suites by OpenSSL name (TLS 1.3
 * ones by IANA name), groups by IANA name, signature algorithms by IANA
 * name or as `SIG+HASH`. Throws when a name is bad: check first with
 * {@linkcode tlsNameProblem}.
 *
 * @example
 * ```ts
 * import { opensslNames } from "./names.ts";
 * opensslNames("ciphers", ["TLS_RSA_WITH_AES_128_CBC_SHA"]); // ["AES128-SHA"]
 * opensslNames("groups", ["P-256"]); // ["secp256r1"]
 * opensslNames("sigalgs", ["ecdsa_sha1"]); // ["ECDSA+SHA1"]
 * ```
 */
export function opensslNames(list: TlsNameList, names: readonly string[]): string[] {
  return names.map((name) => {
    const found = _resolve(list, name, (l) => l);
    if ("message" in found) throw new Error(`${list}: ${found.message}`);
    return found.openssl;
  });
}

type Resolved = { openssl: string } | { message: string; hint: string };

function _resolve(list: TlsNameList, name: string, spell: (l: TlsNameList) => string): Resolved {
  if (name === "") {
    return {
      message: "an empty entry in the list",
      hint: "remove the extra comma, or the empty entry",
    };
  }
  if (/[,:;\s]/.test(name)) {
    return {
      message: `'${name}' is more than one name`,
      hint: "separate the names with commas (A,B), or give a list",
    };
  }
  if (list === "groups") {
    const group = namedGroup(name);
    return group ? { openssl: group.name } : _unknown("group", name, GROUP_NAMES, "P-256, X25519");
  }
  if (list === "sigalgs") {
    const code = _sigalgCode(name);
    return code === undefined
      ? _unknown("signature algorithm", name, SIGALG_NAMES, "rsa_pss_rsae_sha256, ECDSA+SHA256")
      : { openssl: _sigalgSpelling(code) };
  }
  const suite = cipherSuite(name);
  const tls13 = list === "ciphersuites";
  if (!suite) {
    const example = tls13 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    return _unknown("cipher suite", name, SUITE_NAMES, example);
  }
  const refusal = _refusal(suite, name);
  if (refusal) return refusal;
  if (suite.tls13 !== tls13) {
    return {
      message: `'${name}' is ${suite.tls13 ? "a TLS 1.3 suite" : "not a TLS 1.3 suite"}`,
      hint: `${suite.tls13 ? "TLS 1.3 suites" : "TLS 1.2-and-older suites"} go to ${
        spell(suite.tls13 ? "ciphersuites" : "ciphers")
      }`,
    };
  }
  // OpenSSL names its TLS 1.3 suites by their IANA names.
  return { openssl: suite.tls13 ? suite.iana! : suite.openssl! };
}

// A known suite the stack cannot offer, and why.
function _refusal(suite: CipherSuite, name: string): Resolved | undefined {
  if (suite.signaling) {
    return {
      message: `'${name}' is a signalling value, not a cipher suite`,
      hint: "leave it out: it is not a suite to offer",
    };
  }
  // In a cipher string "NULL" means every suite without encryption, not TLS_NULL_WITH_NULL_NULL.
  if (!suite.openssl || suite.openssl === "NULL") {
    return {
      message: `OpenSSL does not implement '${name}'`,
      hint: suite.code === 0
        ? "for a suite without encryption, offer NULL-SHA or NULL-SHA256"
        : "offer a suite it implements",
    };
  }
  if (/PSK|SRP/.test(suite.kx)) {
    return {
      message: `'${name}' needs a pre-shared key or an SRP login`,
      hint: "the OpenSSL stack takes neither: offer a suite with certificates",
    };
  }
  return undefined;
}

function _unknown(what: string, name: string, known: readonly string[], e: string): Resolved {
  const near = closest(name, known);
  return {
    message: `unknown ${what} '${name}'`,
    hint: near ? `did you mean '${near}'?` : `give an IANA or OpenSSL name, e.g. ${e}`,
  };
}

// The names a near miss is matched against: only what can be offered.
const SUITE_NAMES = CIPHER_SUITES.flatMap((s) =>
  _refusal(s, "") ? [] : [s.openssl!, ...(s.iana ? [s.iana] : [])]
);

// The common spellings first: a near miss takes the first of equally near names.
const GROUP_NAMES = [
  ...["P-256", "P-384", "P-521", "X25519", "X448", "prime256v1", "P-224", "P-192", "prime192v1"],
  ...NAMED_GROUP_ROWS.map(([, name]) => name),
];

// TLS 1.2 hash/signature pairs (RFC 5246 7.4.1.4.1): OpenSSL writes them SIG+HASH.
const HASHES = ["MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"];
const SIGNATURES = ["RSA", "DSA", "ECDSA"];
const PSS_SHA = { sha256: 0x0804, sha384: 0x0805, sha512: 0x0806 } as Record<string, number>;
const _isPair = (code: number) =>
  (code & 0xff) >= 1 && (code & 0xff) <= 3 && (code >> 8) >= 1 &&
  (code >> 8) <= HASHES.length;

function _sigalgCode(name: string): number | undefined {
  const plus = /^([A-Za-z-]+)\+([A-Za-z0-9-]+)$/.exec(name);
  if (plus) {
    const [sig, hash] = [plus[1].toUpperCase(), plus[2].toUpperCase().replace("-", "")];
    if (sig === "RSA-PSS" || sig === "PSS") return PSS_SHA[hash.toLowerCase()];
    const s = SIGNATURES.indexOf(sig) + 1;
    const h = HASHES.indexOf(hash) + 1;
    return s && h ? (h << 8) | s : undefined;
  }
  const scheme = signatureScheme(name);
  // Anonymous signatures and hash "none" are never offered (RFC 5246 7.4.1.4.1).
  if (!scheme || (scheme.code <= 0x06ff && !_isPair(scheme.code))) return undefined;
  return scheme.code;
}

function _sigalgSpelling(code: number): string {
  if (_isPair(code)) return `${SIGNATURES[(code & 0xff) - 1]}+${HASHES[(code >> 8) - 1]}`;
  return signatureScheme(code)!.name;
}

// The common hashes first, as for groups.
const SIGALG_HASHES = ["SHA256", "SHA384", "SHA512", "SHA1", "SHA224", "MD5"];
const SIGALG_NAMES = [
  ...SIGNATURE_SCHEME_ROWS.map(([, name]) => name),
  ...SIGALG_HASHES.flatMap((h) =>
    ["rsa_pkcs1", "dsa", "ecdsa"].map((s) => `${s}_${h.toLowerCase()}`)
  ),
  ...SIGALG_HASHES.flatMap((h) => SIGNATURES.map((s) => `${s}+${h}`)),
  ...["RSA-PSS+SHA256", "RSA-PSS+SHA384", "RSA-PSS+SHA512"],
];
