import schema from "../../schemas/results.schema.json" with { type: "json" };
import type { RunResult } from "../runner/result.ts";
import { InputError, parseYaml, validateSchema, type YamlSource } from "../yaml/mod.ts";
import { readInputFile } from "../yaml/read_input.ts";
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
    // V8 says where: "... in JSON at position 5 (line 1 column 6)".
    const said = e instanceof Error ? e.message : String(e);
    const at = / in JSON at position \d+ \(line (\d+) column (\d+)\)$/.exec(said);
    throw new InputError({
      message: `JSON syntax error: ${at ? said.slice(0, at.index) : said}`,
      location: at ? { file, line: Number(at[1]), column: Number(at[2]) } : { file },
      hint: "pass the results.json that 'dicomtls run --json' wrote",
    });
  }
  checkBounds(value, file);
  // Another JSON file (a PKI's manifest.json, a package.json): not results of another version.
  const tool = (value as { tool?: { name?: unknown } } | null)?.tool?.name;
  if (tool !== "dicomtls") {
    throw new InputError({
      message: "not the results of a dicomtls run (no tool.name 'dicomtls')",
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
  // Positions only matter for an error: parse as YAML (a superset of JSON) lazily;
  // JSON that YAML cannot read (duplicate keys, nesting deeper than its stack)
  // gets its errors without a position, never as a YAML error.
  let located: Pick<YamlSource, "locate" | "error"> | undefined;
  const at = () => located ??= yamlOrUnlocated(text, file);
  validateSchema({
    file,
    text,
    value,
    locate: (path, options) => at().locate(path, options),
    error: (path, message, hint, options) => at().error(path, message, hint, options),
  }, schema);
  return value as RunResult;
}

function yamlOrUnlocated(text: string, file: string): Pick<YamlSource, "locate" | "error"> {
  try {
    return parseYaml(text, file);
  } catch {
    return {
      locate: () => ({ line: 0, column: 0 }),
      error: (_path, message, hint) => new InputError({ message, location: { file }, hint }),
    };
  }
}

/**
 * Bounds of what `merge` reads: 256 MiB from one results.json
 * ({@linkcode readRunResult}), 512 MiB from all its inputs together. A
 * results.json holds about 5 to 25 KB a case, so that is 20,000 cases and
 * more; merging a 177 MB file into the three reports took 1.5 GB of memory
 * and 34 s, so 512 MiB asks for about 4 GB.
 */
export const RESULTS_LIMITS = {
  fileBytes: 256 * 1024 * 1024,
  totalBytes: 512 * 1024 * 1024,
  /** The longest string in a results.json: peer logs are kept to 256 KiB a process. */
  stringChars: 16 * 1024 * 1024,
  /** The deepest nesting of arrays and objects (dicomtls writes fewer than 20 levels). */
  depth: 64,
} as const;

// Bounds of a parsed results.json, before anything walks it recursively (the
// schema check, redaction, the reports): a deep nest overflowed the stack,
// a 50 MB name was copied into every report.
function checkBounds(value: unknown, file: string) {
  const hint = "pass the results.json that 'dicomtls run --json' wrote";
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (v.length > RESULTS_LIMITS.stringChars) {
        throw new InputError({
          message: `a string of ${v.length.toLocaleString("en")} characters, more than the ${
            RESULTS_LIMITS.stringChars.toLocaleString("en")
          } a results.json may hold`,
          location: { file },
          hint,
        });
      }
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= RESULTS_LIMITS.depth) {
      throw new InputError({
        message: `arrays and objects nested more than ${RESULTS_LIMITS.depth} deep`,
        location: { file },
        hint,
      });
    }
    for (const [k, item] of Object.entries(v)) {
      stack.push([k, depth + 1], [item, depth + 1]);
    }
  }
}

/**
 * Reads and parses a results.json file; an absent or unreadable file, or one
 * larger than `maxBytes` (default {@linkcode RESULTS_LIMITS}`.fileBytes`), is
 * an {@linkcode InputError} naming it.
 *
 * @example
 * ```ts
 * import { readRunResult } from "./json.ts";
 * const shards = await Promise.all(["a.json", "b.json"].map(readRunResult));
 * ```
 */
export async function readRunResult(
  file: string,
  maxBytes: number = RESULTS_LIMITS.fileBytes,
): Promise<RunResult> {
  // Bounded, and never a folder, a device (/dev/zero) or a pipe.
  const bytes = await readInputFile(file, {
    what: "results.json",
    maxBytes,
    hint: "pass results.json files written by 'dicomtls run --json'",
    largeHint: "merge the results of a run of fewer cases, or split it into more shards",
  });
  return parseRunResult(new TextDecoder().decode(bytes), file);
}
