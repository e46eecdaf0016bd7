import {
  closest,
  formatPath,
  type SchemaProblem,
  type YamlPath,
  type YamlSource,
} from "../yaml/mod.ts";
import { parseDuration } from "./duration.ts";
import { thumbprints } from "./_harness.ts";
import { asList, valuesAt } from "./_walk.ts";
import { ALERT_NAMES, ASSOCIATION_REASONS, SCENARIO_VERIFICATION_REASONS } from "./vocabulary.ts";
import type { Expectation, ExpectationCheck } from "./types.ts";
import { expectationPath } from "./expectation_keys.ts";
import { PROFILES } from "../profiles/registry.ts";
import { STATUS_NAMES } from "../dimse/status.ts";
import { CIPHER_SUITES, cipherSuite, namedGroup } from "../tls/wire/mod.ts";

// Profile names and aliases ("bcp195-nd", "b.10"), matched case-insensitively.
const PROFILE_WORDS = PROFILES.flatMap((p) => [p.name, ...p.aliases]).map((n) => n.toLowerCase());

const EXPECTS = [["defaults", "expect"], ["cases", "*", "expect"]];
const DURATIONS = [
  ["defaults", "timeout"],
  ["cases", "*", "timeout"],
  ["peers", "sut", "start", "ready", "timeout"],
  ...EXPECTS.flatMap((p) => [[...p, "duration", "max"], [...p, "duration", "min"]]),
];

// What `dimse.status` may name besides a code: the categories of an Outcome's operations and
// the PS3.7 names, matched case-insensitively; "Failure 0x0123" is the name of an unnamed code.
const STATUS_CATEGORIES = ["success", "warning", "failure", "timeout", "aborted"];
const STATUS_WORDS = [...STATUS_CATEGORIES, ...STATUS_NAMES];
const IANA_SUITES = CIPHER_SUITES.flatMap((c) => c.iana ? [c.iana] : []);
const ANY_SUITE_NAME = CIPHER_SUITES.flatMap((c) => [c.iana ?? "", c.openssl ?? ""]).filter(
  Boolean,
);

/** A value that cannot match: what is wrong with it, and how to write it. */
type ValueProblem = { message: string; hint: string } | undefined;

const hex16 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, "0")}`;

// A status the check can match: a 16-bit code (number or "0x" hex), a category or a status name.
function dimseStatusProblem(item: unknown): ValueProblem {
  const range = "a status code is 16 bits: 0x0000 to 0xFFFF, e.g. 0xA700";
  if (typeof item === "number") {
    if (!Number.isInteger(item)) return undefined; // the schema says: must be integer
    if (item >= 0 && item <= 0xffff) return undefined;
    const shown = item >= 0 ? `${item} (0x${item.toString(16).toUpperCase()})` : `${item}`;
    return { message: `DIMSE status ${shown} is not a status code`, hint: range };
  }
  if (typeof item !== "string" || item.includes("${")) return undefined;
  const s = item.trim();
  if (/^0x/i.test(s)) {
    if (!/^0x[0-9a-f]+$/i.test(s)) {
      return {
        message: `DIMSE status '${item}' is not a hex status code`,
        hint: "write 0x and up to four hex digits, e.g. 0xA700",
      };
    }
    return parseInt(s, 16) <= 0xffff
      ? undefined
      : { message: `DIMSE status '${item}' is not a status code`, hint: range };
  }
  if (/^-?\d+$/.test(s)) {
    return {
      message: `DIMSE status '${item}' is a number in quotes, which matches no status`,
      hint: `write it without quotes (${s}) or in hex (${hex16(Math.abs(Number(s)) & 0xffff)})`,
    };
  }
  const word = s.toLowerCase();
  if (STATUS_WORDS.some((w) => w.toLowerCase() === word)) return undefined;
  if (/^(failure|warning) 0x[0-9a-f]{4}$/i.test(s)) return undefined;
  const near = closest(s, STATUS_WORDS);
  return {
    message: `unknown DIMSE status '${item}'`,
    hint: near
      ? `did you mean '${near}'?`
      : `use a category (${STATUS_CATEGORIES.join(", ")}), a PS3.7 status name ` +
        "such as 'Refused: Out of Resources', or a code such as 0xA700",
  };
}

// The negotiated suite is reported by its IANA name, so that is the only name that can match.
function negotiatedSuiteProblem(item: unknown): ValueProblem {
  if (typeof item !== "string" || item.includes("${")) return undefined;
  const suite = cipherSuite(item);
  if (suite?.iana && suite.iana.toLowerCase() !== item.toLowerCase()) {
    return {
      message:
        `'${item}' is an OpenSSL name; the negotiated cipher suite is reported by its IANA name`,
      hint: `write '${suite.iana}'`,
    };
  }
  if (suite) return undefined;
  const near = closest(item, IANA_SUITES);
  return {
    message: `unknown cipher suite '${item}'`,
    hint: near ? `did you mean '${near}'?` : "give an IANA name, e.g. TLS_AES_128_GCM_SHA256",
  };
}

// A suite a ClientHello offers, by IANA or OpenSSL name.
function offeredSuiteProblem(item: unknown): ValueProblem {
  if (typeof item !== "string" || item.includes("${") || cipherSuite(item)) return undefined;
  const near = closest(item, ANY_SUITE_NAME);
  return {
    message: `unknown cipher suite '${item}'`,
    hint: near
      ? `did you mean '${near}'?`
      : "give an IANA or OpenSSL name, e.g. TLS_AES_128_GCM_SHA256",
  };
}

// What a near miss of `tls.group` is matched against: the groups handshakes use.
const COMMON_GROUPS = [
  "x25519",
  "secp256r1",
  "secp384r1",
  "secp521r1",
  "x448",
  "ffdhe2048",
  "ffdhe3072",
  "ffdhe4096",
  "DH",
];

// The key exchange's group is reported by its IANA name (x25519, secp256r1), or DH for a
// server's own DHE parameters: an OpenSSL or NIST name (P-256) or a typo would never match.
function negotiatedGroupProblem(item: unknown): ValueProblem {
  if (typeof item !== "string" || item.includes("${") || item.toLowerCase() === "dh") {
    return undefined;
  }
  const group = namedGroup(item);
  if (group?.name.toLowerCase() === item.toLowerCase()) return undefined;
  if (group) {
    return {
      message: `'${item}' is not the name the key exchange's group is reported by`,
      hint: `write '${group.name}'`,
    };
  }
  const near = closest(item, COMMON_GROUPS);
  return {
    message: `unknown group '${item}'`,
    hint: near ? `did you mean '${near}'?` : "give an IANA name (x25519, secp256r1) or DH",
  };
}

// A key size the check can compare: a number of bits, or a floor such as ">=2048".
function keyBitsProblem(item: unknown): ValueProblem {
  const fix = 'write a number of bits (2048) or a floor in quotes (">=2048")';
  if (typeof item === "number") {
    return Number.isInteger(item) && item > 0
      ? undefined
      : { message: `keyBits ${item} is not a key size`, hint: fix };
  }
  if (typeof item !== "string" || item.includes("${")) return undefined;
  if (/^\s*(>=\s*)?\d+\s*$/.test(item)) return undefined;
  return { message: `keyBits '${item}' is not a key size`, hint: fix };
}

const VALUE_CHECKS: [string[], (item: unknown) => ValueProblem][] = [
  [["dimse", "status"], dimseStatusProblem],
  [["tls", "cipher"], negotiatedSuiteProblem],
  [["tls", "group"], negotiatedGroupProblem],
  [["tls", "keyBits"], keyBitsProblem],
  [["clientHello", "offers"], offeredSuiteProblem],
];

/**
 * Checks the values with a known vocabulary (alert names, PS3.8 reasons,
 * verification reasons, durations, DIMSE statuses, cipher suites, groups,
 * key sizes) before the JSON Schema does, for a message that names the
 * nearest valid value; returns every problem found, with its path.
 * Lowercases PS3.8 reasons (they are case-insensitive) in place.
 */
export function vocabularyProblems(source: YamlSource): SchemaProblem[] {
  const doc = source.value;
  const found: SchemaProblem[] = [];
  for (const [path, value] of DURATIONS.flatMap((p) => [...valuesAt(doc, p)])) {
    if (typeof value === "string" && !value.includes("${") && parseDuration(value) === undefined) {
      found.push({
        path,
        error: source.error(
          path,
          `'${formatPath(path)}' is '${value}', which is not a duration`,
          "write milliseconds as a number, or a number with ms, s or m: 500ms, 5s, 1.5s, 2m",
        ),
      });
    }
  }
  const words: [string[], readonly string[], string, boolean][] = [
    [["alert"], ALERT_NAMES, "TLS alert name", false],
    [["reason"], ASSOCIATION_REASONS, "PS3.8 reject or abort reason", true],
    [["verification", "reasons"], SCENARIO_VERIFICATION_REASONS, "verification reason", false],
    [["profile"], PROFILE_WORDS, "TLS profile", true],
  ];
  for (const [suffix, known, what, foldCase] of words) {
    for (const [path, value] of EXPECTS.flatMap((p) => [...valuesAt(doc, [...p, ...suffix])])) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        if (typeof item !== "string") return;
        const word = foldCase ? item.toLowerCase() : item;
        const at = Array.isArray(value) ? [...path, i] : path;
        if (known.includes(word)) {
          if (foldCase) setAt(doc, at, word);
          return;
        }
        const near = closest(item, known);
        found.push({
          path: at,
          error: source.error(
            at,
            `unknown ${what} '${item}'`,
            near ? `did you mean '${near}'?` : `use one of: ${known.join(", ")}`,
          ),
        });
      });
    }
  }
  for (const [suffix, check] of VALUE_CHECKS) {
    for (const [path, value] of EXPECTS.flatMap((p) => [...valuesAt(doc, [...p, ...suffix])])) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        const problem = check(item);
        if (!problem) return;
        const at = Array.isArray(value) ? [...path, i] : path;
        found.push({ path: at, error: source.error(at, problem.message, problem.hint) });
      });
    }
  }
  return found;
}

function setAt(doc: unknown, path: YamlPath, value: unknown) {
  const parent = path.slice(0, -1).reduce<unknown>(
    (v, k) => (v as Record<string | number, unknown>)[k],
    doc,
  ) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
}

/**
 * Builds a case's expectation from `defaults.expect` and the case's own
 * `expect` (a case key replaces the same default key), keeping where each
 * check is written.
 */
export function buildExpectation(
  layers: { value?: Record<string, unknown>; path: YamlPath }[],
  source: YamlSource,
): Expectation {
  const checks = new Map<string, ExpectationCheck>();
  let fails = false;
  const add = (path: YamlPath, key: string, expected: unknown) => {
    const location = { file: source.file, ...source.locate(path) };
    if (key === "peer.sha1" || key === "peer.sha256") {
      asList(expected as string | string[]).forEach((t, i) =>
        thumbprints(t, Array.isArray(expected) ? [...path, i] : path, source)
      );
    }
    // `tls: established` and `tls: { status: established }` are the same check.
    checks.set(expectationPath(key)!, { path: key, expected, location });
  };
  for (const { value, path } of layers) {
    for (const [key, v] of Object.entries(value ?? {})) {
      if (key === "fails") fails = v as boolean;
      else if (typeof v !== "object" || v === null || Array.isArray(v)) {
        add([...path, key], key, v);
      } else {
        for (const [sub, w] of Object.entries(v as Record<string, unknown>)) {
          add([...path, key, sub], `${key}.${sub}`, w);
        }
      }
    }
  }
  return { checks: [...checks.values()], fails };
}
