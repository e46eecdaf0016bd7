import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import { InputError } from "./input_error.ts";
import { INPUT_LIMITS, readInputFile, UnreadableInput } from "./read_input.ts";
import { inlineAliases, MAX_ALIAS_EXPANSION } from "./_aliases.ts";

/** A path into a parsed document: keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that still knows where each value came from, so that
 * errors found later (schema, references, cycles) point at file:line:column.
 */
export interface YamlSource {
  /** The file name, as given to the parser. */
  file: string;
  /** The file's text. */
  text: string;
  /** The plain JavaScript value of the document. */
  value: unknown;
  /** The 1-based line and column of the value (or, with `key`, the key) at `path`. */
  locate(path: YamlPath, options?: { key?: boolean }): { line: number; column: number };
  /** An {@linkcode InputError} located at `path`. */
  error(path: YamlPath, message: string, hint?: string, options?: { key?: boolean }): InputError;
}

/**
 * Parses YAML text, keeping source positions. Syntax errors become an
 * {@linkcode InputError} at the offending line and column.
 *
 * @example
 * ```ts
 * import { parseYaml } from "./source.ts";
 * const src = parseYaml("a:\n  b: 1\n", "x.yaml");
 * src.locate(["a", "b"]); // { line: 2, column: 6 }
 * ```
 */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0]);
    const first = problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError({
      message: `YAML syntax error: ${first}`,
      location: { file, line: pos.line, column: pos.col },
      hint: "check indentation, quoting and that every ':' in a value is quoted",
    });
  }
  const bomb = inlineAliases(doc);
  if (bomb) {
    const pos = lineCounter.linePos(bomb.range?.[0] ?? 0);
    throw new InputError({
      message: `YAML aliases expand to more than ${
        MAX_ALIAS_EXPANSION.toLocaleString("en")
      } values here (an alias bomb, "billion laughs")`,
      location: { file, line: pos.line, column: pos.col },
      hint: "write the repeated values out, or nest fewer aliases of aliases",
    });
  }
  // The expansion is bounded above, so the package's own per-anchor alias limit
  // (which a large suite reusing one anchor often would reach) is off.
  const value = doc.toJS({ maxAliasCount: -1 });
  const locate = (path: YamlPath, options: { key?: boolean } = {}) => {
    const offset = offsetOf(doc, path, options.key ?? false);
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return {
    file,
    text,
    value,
    locate,
    error(path, message, hint, options) {
      return new InputError({ message, hint, location: { file, ...locate(path, options) } });
    },
  };
}

/**
 * Reads and parses a YAML file. A missing or unreadable file is an
 * {@linkcode InputError} naming the path.
 *
 * @example
 * ```ts
 * import { readYamlFile } from "./source.ts";
 * const src = await readYamlFile("fixtures/pki/standard.yaml");
 * ```
 */
export async function readYamlFile(file: string): Promise<YamlSource> {
  let bytes: Uint8Array;
  try {
    bytes = await readInputFile(file, { what: "YAML file", maxBytes: INPUT_LIMITS.yaml });
  } catch (e) {
    if (!(e instanceof UnreadableInput)) throw e;
    throw new InputError({ message: `cannot read ${file}: ${e.reason}`, hint: e.hint });
  }
  // A NUL is no YAML text (a JPEG, a DER certificate, UTF-16): said so, not parsed as a string.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new InputError({
      message: `${file} is binary (a NUL byte at offset ${nul}), not YAML text`,
      hint: "give the YAML file (UTF-8 text)",
    });
  }
  return parseYaml(new TextDecoder().decode(bytes), file);
}

// The deepest node along `path` that exists: an error about a missing child
// still points at its parent.
function offsetOf(doc: Document, path: YamlPath, wantKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (wantKey && step === path[path.length - 1] && keyStart !== undefined) return keyStart;
      node = pair.value;
      offset = rangeStart(node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof step === "number") {
      node = node.items[step];
      if (node === undefined) break;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? (node as Node).range?.[0] : undefined;
}

/**
 * The part of a parsed document at `path`, as a document of its own: its
 * `value` is `value` (e.g. after interpolation), its errors point into the
 * original file. Lets a loader hand a sub-tree to another loader.
 *
 * @example
 * ```ts
 * import { readYamlFile, subSource } from "./source.ts";
 * const source = await readYamlFile("suite.yaml");
 * declare const interpolated: unknown; // the value at that path after `${...}` interpolation
 * const ae = subSource(source, ["peers", "sut", "start", "reference"], interpolated);
 * ```
 */
export function subSource(source: YamlSource, path: YamlPath, value: unknown): YamlSource {
  return {
    file: source.file,
    text: source.text,
    value,
    locate: (p, options) => source.locate([...path, ...p], options),
    error: (p, message, hint, options) => source.error([...path, ...p], message, hint, options),
  };
}
