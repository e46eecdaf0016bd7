import schema from "../../schemas/scenario.schema.json" with { type: "json" };

// The JSON Schema is the single source of these lists: editors complete from
// it, and the loader's friendlier messages (did you mean ...) use the same.

/**
 * TLS alert names a scenario may expect (RFC 8446 / RFC 5246, snake case).
 *
 * @example
 * ```ts
 * import { ALERT_NAMES } from "./vocabulary.ts";
 * ALERT_NAMES.includes("certificate_expired"); // true
 * ```
 */
export const ALERT_NAMES: readonly string[] = schema.definitions.alertName.enum;

/**
 * PS3.8 A-ASSOCIATE-RJ (Table 9-21) and A-ABORT (Table 9-26) reasons, kebab case.
 *
 * @example
 * ```ts
 * import { ASSOCIATION_REASONS } from "./vocabulary.ts";
 * ASSOCIATION_REASONS.includes("calling-ae-title-not-recognized"); // true
 * ```
 */
export const ASSOCIATION_REASONS: readonly string[] = schema.definitions.associationReason.enum;

/**
 * Our verifier's reasons, as src/outcome/reasons.ts lists them.
 *
 * @example
 * ```ts
 * import { SCENARIO_VERIFICATION_REASONS } from "./vocabulary.ts";
 * SCENARIO_VERIFICATION_REASONS.includes("expired"); // true
 * ```
 */
export const SCENARIO_VERIFICATION_REASONS: readonly string[] =
  schema.definitions.verificationReason.enum;

/**
 * The scenario JSON Schema (draft-07), as shipped in `schemas/scenario.schema.json`.
 *
 * @example
 * ```ts
 * import { SCENARIO_SCHEMA } from "./vocabulary.ts";
 * import { validateSchema, parseYaml } from "../yaml/mod.ts";
 * validateSchema(parseYaml("suite: x\n", "s.yaml"), SCENARIO_SCHEMA); // throws: peers missing
 * ```
 */
export const SCENARIO_SCHEMA: object = schema;
