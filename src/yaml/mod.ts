/**
 * YAML inputs with source positions: parse, validate against a JSON Schema,
 * and report every problem as an {@linkcode InputError} at file:line:column.
 * Shared by the PKI spec, scenario suites and the reference AE config.
 *
 * @example
 * ```ts
 * import { readYamlFile, validateSchema } from "./mod.ts";
 * const src = await readYamlFile("ae.yaml");
 * validateSchema(src, {
 *   type: "object",
 *   properties: { ae: { type: "string" }, port: { type: "integer" } },
 *   additionalProperties: false,
 * });
 * ```
 * @module
 */
export * from "./input_error.ts";
export * from "./input_errors.ts";
export * from "./closest.ts";
export * from "./source.ts";
export * from "./schema.ts";
export * from "./os_error.ts";
