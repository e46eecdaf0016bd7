/**
 * Every expectation a scenario can write, by its path (`tls.protocol` is
 * `expect: { tls: { protocol: ... } }`): the one list the loader, the
 * runner's checks and the messages derive from (a test compares it with the
 * JSON Schema). `outcome` marks the paths that say how a conversation ended;
 * a case must expect at least one of them.
 */
export const EXPECTATION_KEYS = {
  tcp: { outcome: true },
  echo: { outcome: true },
  store: { outcome: true },
  "tls.status": { outcome: true },
  "tls.protocol": { outcome: true },
  "tls.cipher": { outcome: true },
  "tls.group": { outcome: true },
  "tls.keyBits": { outcome: true },
  "tls.stack": { outcome: false },
  alert: { outcome: true },
  "verification.ok": { outcome: true },
  "verification.reasons": { outcome: true },
  association: { outcome: true },
  reason: { outcome: true },
  result: { outcome: true },
  source: { outcome: true },
  "dimse.status": { outcome: true },
  stage: { outcome: true },
  "peer.subject": { outcome: false },
  "peer.sha1": { outcome: false },
  "peer.sha256": { outcome: false },
  "duration.max": { outcome: false },
  "duration.min": { outcome: false },
} as const satisfies Record<string, { outcome: boolean }>;

/** A path of {@linkcode EXPECTATION_KEYS}. */
export type ExpectationPath = keyof typeof EXPECTATION_KEYS;

/**
 * The paths that say how a conversation ended.
 *
 * @example
 * ```ts
 * import { OUTCOME_PATHS } from "./expectation_keys.ts";
 * OUTCOME_PATHS.includes("alert"); // true
 * ```
 */
export const OUTCOME_PATHS: readonly ExpectationPath[] = paths().filter((p) =>
  EXPECTATION_KEYS[p].outcome
);

/**
 * The keys under `expect:` that say how a conversation ended, for messages.
 *
 * @example
 * ```ts
 * import { OUTCOME_KEYS } from "./expectation_keys.ts";
 * OUTCOME_KEYS[0]; // "echo"
 * ```
 */
export const OUTCOME_KEYS: readonly string[] = [
  ...new Set(OUTCOME_PATHS.map((p) => p.split(".")[0])),
];

/**
 * The keys written directly under `expect:` (`tls` and `dimse` are mappings,
 * `tls: established` is short for `tls: { status: established }`).
 *
 * @example
 * ```ts
 * import { EXPECT_KEYS } from "./expectation_keys.ts";
 * EXPECT_KEYS.includes("verification"); // true
 * ```
 */
export const EXPECT_KEYS: readonly string[] = [...new Set(paths().map((p) => p.split(".")[0]))];

/**
 * The path a key written under `expect:` stands for: `tls` alone is `tls.status`.
 *
 * @example
 * ```ts
 * import { expectationPath } from "./expectation_keys.ts";
 * expectationPath("tls"); // "tls.status"
 * expectationPath("tls.cipher"); // "tls.cipher"
 * ```
 */
export function expectationPath(written: string): ExpectationPath | undefined {
  const path = written === "tls" ? "tls.status" : written;
  return path in EXPECTATION_KEYS ? path as ExpectationPath : undefined;
}

function paths(): ExpectationPath[] {
  return Object.keys(EXPECTATION_KEYS) as ExpectationPath[];
}
