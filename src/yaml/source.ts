import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import { InputError } from "./input_error.ts";
import { inlineAliases, MAX_ALIAS_EXPANSION, MAX_DEPTH, type ShapeProblem } from "./_aliases.ts";
import type { ErrorCode } from "yaml";
import { INPUT_LIMITS, readInputFile, UnreadableInput } from "./read_input.ts";

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
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const unprintable = UNPRINTABLE.exec(text);
  if (unprintable) {
    // Counted before parsing: the parser's own line counter is not filled yet.
    const before = text.slice(0, unprintable.index).split("\n");
    const code = unprintable[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new InputError({
      message: `the control character U+${code} is not allowed in YAML text`,
      location: { file, line: before.length, column: before[before.length - 1].length + 1 },
      hint: 'remove it; inside double quotes an escape such as "\\t" or "\\x07" writes one',
    });
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const first = problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    const where = at(problem.pos[0]);
    const line = text.split("\n", where.line)[where.line - 1] ?? "";
    throw new InputError({ ...syntaxProblem(problem.code, first, line), location: where });
  }
  const shape = inlineAliases(doc);
  if (shape) {
    throw new InputError({ ...shapeProblem(shape), location: at(shape.node.range?.[0] ?? 0) });
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

// What YAML 1.2 does not allow in a file (c-printable): C0 controls but tab, LF and CR; DEL;
// C1 controls but NEL. Written raw, they reach names and reports unseen.
// deno-lint-ignore no-control-regex
const UNPRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]/;

const SYNTAX_HINT = "check indentation, quoting and that every ':' in a value is quoted";

// A ${...} written bare after a flow collection's '[', '{', ',' or a key's ':': its braces are
// flow indicators to YAML, so it ends the collection.
const BARE_VARIABLE = /[[{,:]\s*\$\{/;

// The parser's complaint in our words, with a hint that fits it (`line`: the line it points at).
function syntaxProblem(
  code: ErrorCode,
  message: string,
  line: string,
): { message: string; hint: string } {
  if (/Maximum call stack/.test(message)) return shapeProblem({ kind: "deep" });
  switch (code) {
    case "MULTIPLE_DOCS":
      return {
        message: "a second YAML document starts here: a file holds one",
        hint: "remove the '---' line and what follows it, or put it in a file of its own",
      };
    case "TAB_AS_INDENT":
      return { message: `YAML syntax error: ${message}`, hint: "indent with spaces" };
    case "TAG_RESOLVE_FAILED":
      return {
        message: `YAML syntax error: ${message}`,
        hint: "remove the tag: values are text, numbers, true/false, lists and mappings",
      };
    case "DUPLICATE_KEY":
      return {
        message: `YAML syntax error: ${message}`,
        hint: "a key may appear once in a mapping: remove or rename one",
      };
    case "BAD_ALIAS":
      return {
        message: `YAML syntax error: ${message}`,
        hint: "an alias is '*' and an anchor name",
      };
  }
  const hint = BARE_VARIABLE.test(line) && /[[{]/.test(line)
    ? 'quote a value with ${...} inside [...] or {...}: "${env.NAME}"'
    : SYNTAX_HINT;
  return { message: `YAML syntax error: ${message}`, hint };
}

// A document that parsed, but that no input can mean, in our words.
function shapeProblem(
  problem: ShapeProblem | { kind: "deep" },
): { message: string; hint: string } {
  switch (problem.kind) {
    case "bomb":
      return {
        message: `YAML aliases expand to more than ${
          MAX_ALIAS_EXPANSION.toLocaleString("en")
        } values here (an alias bomb, "billion laughs")`,
        hint: "write the repeated values out, or nest fewer aliases of aliases",
      };
    case "deep":
      return {
        message: `the YAML nests more than ${MAX_DEPTH} levels deep here`,
        hint:
          "no input of dicomtls needs more than a few levels: check the brackets and indentation",
      };
    case "unresolved-alias":
      return {
        message: `the alias '*${problem.name}' names no anchor before it`,
        hint:
          `mark the value it repeats with '&${problem.name}' above this line, or remove the alias`,
      };
    case "collection-key":
      return {
        message: "a key is a list or mapping here",
        hint: "a key is text or a number; quote it if it is meant as text",
      };
    case "tag":
      return {
        message: `the YAML tag '${
          problem.tag.replace("tag:yaml.org,2002:", "!!")
        }' makes a value that is not text, a number, true/false, a list or a mapping`,
        hint: "remove the tag",
      };
  }
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
    bytes = await readInputFile(file, { what: "YAML file", maxBytes: MAX_YAML_BYTES });
  } catch (e) {
    if (!(e instanceof UnreadableInput)) throw e;
    // At the file, as every other problem of it: `FILE: it is a folder (hint: ...)`.
    throw new InputError({ message: e.reason, location: { file }, hint: e.hint });
  }
  // A NUL is no YAML text (a JPEG, a DER certificate, UTF-16): said so, not parsed as a string.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // At the file, as its other problems: a suite's 'pki:' places it at that line.
    throw new InputError({
      message: `it is binary (a NUL byte at offset ${nul}), not YAML text`,
      location: { file },
      hint: "give the YAML file (UTF-8 text)",
    });
  }
  return parseYaml(utf8Text(bytes, file), file);
}

/**
 * The most bytes a YAML input (suite, PKI spec, AE config, variables file)
 * may have: the YAML parser takes seconds per megabyte and ten times its
 * size in memory. A megabyte is some 20,000 cases written out.
 *
 * @example
 * ```ts
 * import { MAX_YAML_BYTES } from "./source.ts";
 * const { size } = await Deno.stat("suite.yaml");
 * if (size > MAX_YAML_BYTES) console.log("readYamlFile will refuse it");
 * ```
 */
export const MAX_YAML_BYTES: number = INPUT_LIMITS.yaml;

// The file's text, or where it stops being UTF-8 (a lenient decoding would put U+FFFD there
// and the parser complain of something else).
function utf8Text(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // The first U+FFFD of a lenient decoding that is not one written in the file.
    const lenient = new TextDecoder().decode(bytes);
    let bad = 0;
    for (let i = lenient.indexOf("\uFFFD"); i >= 0; i = lenient.indexOf("\uFFFD", i + 1)) {
      bad = new TextEncoder().encode(lenient.slice(0, i)).length;
      if (bytes[bad] !== 0xef || bytes[bad + 1] !== 0xbf || bytes[bad + 2] !== 0xbd) break;
    }
    const line = new TextDecoder().decode(bytes.subarray(0, bad)).split("\n");
    throw new InputError({
      message: `the file is not UTF-8 text: the byte 0x${
        bytes[bad].toString(16).toUpperCase().padStart(2, "0")
      } here starts no UTF-8 character`,
      location: { file, line: line.length, column: line[line.length - 1].length + 1 },
      hint: "save it as UTF-8, e.g. with iconv -f LATIN1 -t UTF-8",
    });
  }
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
