import schema from "../../schemas/results.schema.json" with { type: "json" };
import type { RunResult } from "../runner/result.ts";
import { InputError, parseYaml, validateSchema, type YamlSource } from "../yaml/mod.ts";
import { redactCase, redactRun, secretValues } from "./_text.ts";
import { toJson } from "../text/mod.ts";
import { _spliceCases } from "./_chunks.ts";

/** The `schemaVersion` of results.json that this version writes and reads. */
export const RESULTS_SCHEMA_VERSION = 1;

/** The committed JSON Schema of results.json (schemas/results.schema.json). */
export const RESULTS_SCHEMA: object = schema;

/**
 * The run as results.json: the RunResult with `schemaVersion` first, secrets
 * redacted, valid against schemas/results.schema.json.
 *
 * @example
 * ```ts
 * import { renderJson } from "./json.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/results.json", renderJson(run));
 * ```
 */
export function renderJson(run: RunResult): string {
  return [...renderJsonChunks(run)].join("");
}

/**
 * results.json as chunks of about 1 MB: the same text as
 * {@linkcode renderJson}, made a case at a time, so that a run of 100,000
 * cases (more than V8's longest string as one text) can be written with
 * `writeReportSet`, holding one chunk at a time.
 *
 * @example
 * ```ts
 * import { renderJsonChunks } from "./json.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/results.json", renderJsonChunks(run));
 * ```
 */
export function* renderJsonChunks(run: RunResult): Generator<string> {
  const secrets = secretValues(run);
  yield* _spliceCases(run, (shell) => {
    const { schemaVersion: _, ...rest } = redactRun(shell, secrets);
    return `${toJson({ schemaVersion: RESULTS_SCHEMA_VERSION, ...rest }, { indent: 2 })}\n`;
  }, function* (suite, indent) {
    for (const [i, c] of run.suites[suite].cases.entries()) {
      const json = toJson(redactCase(c), { indent: 2 }).replaceAll("\n", `\n${indent}`);
      yield `${i ? `,\n${indent}` : indent}${json}`;
    }
  });
}

/**
 * Parses results.json text written by {@linkcode renderJson}. Text that is not
 * JSON, another `schemaVersion` or a shape the schema refuses is an
 * {@linkcode InputError} naming the file (at line:column for schema problems).
 *
 * @example
 * ```ts
 * import { parseRunResult } from "./json.ts";
 * const run = parseRunResult(await Deno.readTextFile("shard-1.json"), "shard-1.json");
 * ```
 */
export function parseRunResult(text: string, file: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError({
      message: `not JSON: ${e instanceof Error ? e.message : e}`,
      location: { file },
      hint: "pass the results.json that 'dicomtls run --json' wrote",
    });
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new InputError({
      message: `schemaVersion is ${
        JSON.stringify(version)
      }; this dicomtls reads ${RESULTS_SCHEMA_VERSION}`,
      location: { file },
      hint: "results must come from 'dicomtls run --json' of this version of dicomtls",
    });
  }
  // Positions only matter for an error: parse as YAML (a superset of JSON) lazily.
  let located: YamlSource | undefined;
  const at = () => located ??= parseYaml(text, file);
  validateSchema({
    file,
    text,
    value,
    locate: (path, options) => at().locate(path, options),
    error: (path, message, hint, options) => at().error(path, message, hint, options),
  }, schema);
  return value as RunResult;
}

/**
 * Reads and parses a results.json file; an absent or unreadable file is an
 * {@linkcode InputError} naming it.
 *
 * @example
 * ```ts
 * import { readRunResult } from "./json.ts";
 * const shards = await Promise.all(["a.json", "b.json"].map(readRunResult));
 * ```
 */
export async function readRunResult(file: string): Promise<RunResult> {
  const text = await Deno.readTextFile(file).catch((e: Error) => {
    throw new InputError({
      message: `cannot read ${file}: ${e.message}`,
      hint: "pass results.json files written by 'dicomtls run --json'",
    });
  });
  return parseRunResult(text, file);
}
