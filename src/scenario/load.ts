import { dirname, join, resolve } from "node:path";
import {
  InputError,
  readYamlFile,
  subSource,
  validateSchema,
  type YamlPath,
  type YamlSource,
} from "../yaml/mod.ts";
import type { StartOptions } from "../process/mod.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import { interpolate, type InterpolationContext } from "./interpolate.ts";
import { defaultPkiCacheDir, isKeyType, type SuitePki, suitePki } from "./_pki.ts";
import { type HarnessLayer, resolveHarness } from "./_harness.ts";
import { buildExpectation, checkVocabulary } from "./_expectation.ts";
import { expectationPath, OUTCOME_KEYS, OUTCOME_PATHS } from "./expectation_keys.ts";
import { displayPath, existingPath } from "./_walk.ts";

export { displayPath };
import { SCENARIO_SCHEMA } from "./vocabulary.ts";
import { aeSettingsFrom } from "../reference_ae/config.ts";
import AE_SCHEMA from "../../schemas/ae.schema.json" with { type: "json" };
import type { Case, Suite, SuiteInstance, SutTarget } from "./types.ts";
import { _SharedParts } from "./_share.ts";

/** Options of {@linkcode loadSuite}. */
export interface LoadSuiteOptions {
  /** The scenario file. */
  file: string;
  /** `--set KEY=VALUE` values, for `${set.KEY}`. */
  set?: Record<string, string>;
  /** For `${env.NAME}`; default the process environment. */
  env?: Record<string, string | undefined>;
  /** Where generated PKIs are cached; default $XDG_CACHE_HOME/dicomtls/pki. */
  pkiCacheDir?: string;
  /** The most cases a suite (and a whole {@linkcode loadSuites}) may expand to; default {@linkcode MAX_CASES}. */
  maxCases?: number;
}

/**
 * The most cases a suite, and all suites of a run together, may expand to
 * (cases times matrix combinations): checked before anything is expanded, so
 * a small file with a huge matrix is an error at once, not an out-of-memory.
 */
export const MAX_CASES = 1_000_000;

/** A case's timeout when neither the case nor `defaults` sets one. */
export const DEFAULT_CASE_TIMEOUT_MS = 10_000;

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

/**
 * Loads one scenario file: parses it with source positions, validates it
 * against `schemas/scenario.schema.json`, generates (or reuses) its PKI,
 * interpolates `${...}`, and expands it into cases (defaults and per-case
 * harness merged, one copy per matrix entry). Every problem is an
 * {@linkcode InputError} at file:line:column with a hint.
 *
 * @example
 * ```ts
 * import { loadSuite } from "./load.ts";
 * const suite = await loadSuite({ file: "scenarios/demo/chain.yaml", set: { PORT: "11112" } });
 * suite.cases.map((c) => c.id);
 * ```
 */
export async function loadSuite(options: LoadSuiteOptions): Promise<Suite> {
  const file = displayPath(options.file);
  const dir = dirname(resolve(options.file));
  const source = await readYamlFile(file);
  checkVocabulary(source);
  validateSchema(source, SCENARIO_SCHEMA, { refs: [AE_SCHEMA] });
  const doc = source.value as Raw;
  checkDuplicateNames(source, doc.cases);
  checkCaseCount(source, options.maxCases ?? MAX_CASES);
  const env = options.env ?? Deno.env.toObject();
  const cacheDir = options.pkiCacheDir ?? defaultPkiCacheDir();

  const instances: SuiteInstance[] = [];
  const cases: Case[] = [];
  const shared = new _SharedParts();
  for (const matrix of matrixEntries(doc.matrix)) {
    const context: InterpolationContext = { env, set: options.set ?? {}, matrix, suiteDir: dir };
    let pki: SuitePki | undefined;
    if (doc.pki !== undefined) {
      const spec = interpolate(doc.pki, { source, path: ["pki"], context }) as string;
      const specFile = await existingPath(source, {
        dir,
        file: spec,
        path: ["pki"],
        what: "PKI spec",
      });
      if (matrix?.key !== undefined && !isKeyType(matrix.key)) {
        throw source.error(
          ["matrix", "key"],
          `matrix key '${matrix.key}' is not a key type`,
          "the matrix variable 'key' sets the PKI's default key type: rsa-1024/2048/3072/4096, ec-p256/p384/p521",
        );
      }
      pki = await suitePki({ spec: specFile, key: matrix?.key, cacheDir });
    }
    const { matrix: _, ...rest } = doc;
    const d = interpolate(rest, {
      source,
      path: [],
      context: { ...context, pki: pki?.fields },
    }) as Raw;
    const label = matrix ? Object.entries(matrix).map(([k, v]) => `${k}=${v}`).join(",") : "";
    const group = label ? `${file}[${label}]` : file;
    const sut = await resolveSut(d.peers.sut, source, dir);
    const limits = [d.concurrency, d.peers.sut.concurrency].filter((n) => n !== undefined);
    instances.push({
      id: group,
      ...(matrix ? { matrix } : {}),
      sut,
      ...(limits.length ? { concurrency: Math.min(...limits) } : {}),
      ...(pki ? { pki: { spec: pki.spec, dir: pki.dir } } : {}),
    });
    for (const [i, c] of (d.cases as Raw[]).entries()) {
      cases.push(
        shared.case(
          await buildCase(c, i, { d, source, dir, pki, sut, group, label, matrix, file }),
        ),
      );
    }
  }
  return {
    name: doc.suite,
    file,
    dir,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    tags: doc.tags ?? [],
    definition: doc,
    source,
    instances,
    cases,
  };
}

interface CaseContext {
  d: Raw;
  source: YamlSource;
  dir: string;
  pki?: SuitePki;
  sut: SutTarget;
  group: string;
  label: string;
  matrix?: Record<string, string>;
  file: string;
}

async function buildCase(c: Raw, i: number, ctx: CaseContext): Promise<Case> {
  const { d, source, dir } = ctx;
  const at: YamlPath = ["cases", i];
  const defaults = d.defaults ?? {};
  const harnessLayers: HarnessLayer[] = [
    { value: d.peers.harness ?? {}, path: ["peers", "harness"] },
    { value: defaults.harness ?? {}, path: ["defaults", "harness"] },
    { value: c.harness ?? {}, path: [...at, "harness"] },
  ];
  const harness = await resolveHarness(harnessLayers, {
    source,
    dir,
    pki: ctx.pki,
    calledAe: ctx.sut.ae,
  });
  const operation = c.operation ?? defaults.operation ?? "echo";
  const filesAt: YamlPath = c.files ? [...at, "files"] : ["defaults", "files"];
  const fileList: string[] = c.files ?? defaults.files ?? [];
  if (operation === "store" && fileList.length === 0) {
    throw source.error(
      [...at, "name"],
      `case '${c.name}' has operation store but no files`,
      "add files: [path/to/file.dcm]",
    );
  }
  if (operation === "echo" && c.files) {
    throw source.error(
      filesAt,
      "files are only sent with operation: store",
      "add operation: store, or remove files",
    );
  }
  const files = operation === "store"
    ? await Promise.all(
      fileList.map((f, j) =>
        existingPath(source, { dir, file: f, path: [...filesAt, j], what: "DICOM file" })
      ),
    )
    : [];
  const timeoutAt: YamlPath = c.timeout !== undefined
    ? [...at, "timeout"]
    : ["defaults", "timeout"];
  const timeoutMs = durationAt(
    c.timeout ?? defaults.timeout ?? DEFAULT_CASE_TIMEOUT_MS,
    timeoutAt,
    source,
  );
  const expect = buildExpectation([
    { value: defaults.expect, path: ["defaults", "expect"] },
    { value: c.expect, path: [...at, "expect"] },
  ], source);
  const other = operation === "echo" ? "store" : "echo";
  const wrong = expect.checks.find((k) => k.path === other);
  if (wrong) {
    throw new InputError({
      message: `expect.${other} in a case whose operation is ${operation}`,
      location: wrong.location,
      hint: `expect ${operation}: success | failure, or set operation: ${other}`,
    });
  }
  for (const check of expect.checks.filter((k) => k.path.startsWith("duration."))) {
    if (parseDuration(check.expected) === undefined) {
      throw new InputError({
        message: `'${check.expected}' is not a duration`,
        location: check.location,
        hint: DURATION_HINT,
      });
    }
  }
  const ending = (k: { path: string }) => OUTCOME_PATHS.includes(expectationPath(k.path)!);
  if (c.skip === undefined && !expect.checks.some(ending)) {
    throw source.error(
      c.expect ? [...at, "expect"] : [...at, "name"],
      `case '${c.name}' expects nothing about how the conversation ends`,
      `add expect: with ${OUTCOME_KEYS.join(", ")}, e.g. expect: { echo: success }`,
    );
  }
  const tags = [...new Set([...(d.tags ?? []), ...(defaults.tags ?? []), ...(c.tags ?? [])])];
  return {
    id: `${ctx.file}::${c.name}${ctx.label ? `[${ctx.label}]` : ""}`,
    name: c.name,
    suite: d.suite,
    file: ctx.file,
    location: { file: ctx.file, ...source.locate([...at, "name"]) },
    ...(c.description !== undefined ? { description: c.description } : {}),
    tags,
    ...(ctx.matrix ? { matrix: ctx.matrix } : {}),
    group: ctx.group,
    peer: "sut",
    sut: ctx.sut,
    operation,
    files,
    harness,
    timeoutMs,
    expect,
    ...(c.skip !== undefined ? { skip: c.skip } : {}),
  };
}

const DURATION_HINT = `write milliseconds as a number, or a number with ms, s or m, e.g. ${
  formatDuration(5000)
}`;

function durationAt(value: unknown, path: YamlPath, source: YamlSource): number {
  const ms = parseDuration(value);
  if (ms !== undefined) return ms;
  throw source.error(
    path,
    `'${value}' is not a duration`,
    DURATION_HINT,
  );
}

function portAt(value: unknown, path: YamlPath, source: YamlSource): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  throw source.error(
    path,
    typeof n === "number" ? `port ${n} is out of range` : `port '${value}' is not a number`,
    "a TCP port is a whole number from 1 to 65535",
  );
}

async function resolveSut(sut: Raw, source: YamlSource, dir: string): Promise<SutTarget> {
  const at = ["peers", "sut"];
  if (sut.role === "scu") {
    throw source.error(
      [...at, "role"],
      "role scu (the SUT connects to us) is not supported yet",
      "use role: scp, where the harness connects to the SUT",
    );
  }
  const reference = sut.start?.reference;
  const target: SutTarget = {
    role: "scp",
    ae: sut.ae,
    host: sut.host,
    // The reference AE can take any free port.
    port: reference && (sut.port === 0 || sut.port === "0")
      ? 0
      : portAt(sut.port, [...at, "port"], source),
  };
  if (!sut.start) return target;
  if (reference) {
    return {
      ...target,
      reference: aeSettingsFrom(subSource(source, [...at, "start", "reference"], reference)),
    };
  }
  const s = sut.start;
  const start: StartOptions = { command: s.command };
  if (s.env) start.env = s.env;
  if (s.cwd) {
    start.cwd = await existingPath(source, {
      dir,
      file: s.cwd,
      path: [...at, "start", "cwd"],
      what: "folder",
      directory: true,
    });
  } else start.cwd = dir;
  const r = s.ready ?? {};
  const readyAt = [...at, "start", "ready"];
  start.ready = { timeoutMs: durationAt(r.timeout ?? 10_000, [...readyAt, "timeout"], source) };
  if (r.port !== undefined) start.ready.port = portAt(r.port, [...readyAt, "port"], source);
  if (r.log !== undefined) {
    try {
      start.ready.log = new RegExp(r.log);
    } catch (e) {
      throw source.error(
        [...readyAt, "log"],
        `ready.log is not a valid regular expression: ${(e as Error).message}`,
        "escape special characters with \\",
      );
    }
  }
  if (r.port === undefined && r.log === undefined) {
    // Without a condition the runner could only guess; the SUT's own port is what cases need.
    start.ready.port = target.port;
  }
  return { ...target, start };
}

function checkDuplicateNames(source: YamlSource, cases: Raw[]) {
  const seen = new Map<string, number>();
  cases.forEach((c, i) => {
    const first = seen.get(c.name);
    if (first === undefined) {
      seen.set(c.name, i);
      return;
    }
    const was = source.locate(["cases", first, "name"]);
    throw source.error(
      ["cases", i, "name"],
      `duplicate case name '${c.name}' (first at ${source.file}:${was.line}:${was.column})`,
      "case names must be unique within a suite: rename one",
    );
  });
}

// Cases times matrix combinations, computed without expanding anything.
function checkCaseCount(source: YamlSource, max: number) {
  const doc = source.value as Raw;
  const combinations = Object.values(doc.matrix ?? {})
    .reduce<number>((n, values) => n * (Array.isArray(values) ? values.length : 1), 1);
  const count = combinations * doc.cases.length;
  if (count <= max) return;
  const n = (x: number) => x.toLocaleString("en");
  const hint = "split it into several suites, or give the matrix fewer values";
  const limit = max < MAX_CASES
    ? ` (the suites before it used part of the ${n(MAX_CASES)} a run may have)`
    : "";
  if (combinations > max) {
    throw source.error(
      ["matrix"],
      `the matrix has ${n(combinations)} combinations, more than the ${
        n(max)
      } cases allowed${limit}`,
      hint,
      { key: true },
    );
  }
  throw source.error(
    ["cases"],
    `${n(doc.cases.length)} cases times ${n(combinations)} matrix combinations make ${
      n(count)
    } cases, more than the ${n(max)} allowed${limit}`,
    hint,
    { key: true },
  );
}

/** Every combination of the matrix values, in the order written; `[undefined]` without a matrix. */
function matrixEntries(matrix?: Record<string, unknown>): (Record<string, string> | undefined)[] {
  if (!matrix || Object.keys(matrix).length === 0) return [undefined];
  let entries: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    const list = Array.isArray(values) ? values : [values];
    entries = entries.flatMap((e) => list.map((v) => ({ ...e, [key]: String(v) })));
  }
  return entries;
}

/**
 * The scenario files named by `paths`: files as given, folders as their
 * `*.yaml`/`*.yml` files sorted by name. A path that does not exist is an
 * {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { findSuiteFiles } from "./load.ts";
 * await findSuiteFiles(["scenarios/demo"]); // ["scenarios/demo/a.yaml", ...]
 * ```
 */
export async function findSuiteFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(path);
    } catch {
      throw new InputError({
        message: `no such file or folder: ${path}`,
        hint: "give scenario files or folders of *.yaml files",
      });
    }
    if (!stat.isDirectory) {
      files.push(path);
      continue;
    }
    const names: string[] = [];
    for await (const e of Deno.readDir(path)) {
      if (e.isFile && /\.ya?ml$/.test(e.name)) names.push(e.name);
    }
    if (names.length === 0) {
      throw new InputError({
        message: `no *.yaml files in ${path}`,
        hint: "give a folder that holds scenario files",
      });
    }
    files.push(...names.sort().map((n) => join(path, n)));
  }
  return files;
}

/**
 * Loads every suite named by `paths` (files or folders of `*.yaml`, sorted),
 * throwing the first problem as an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { loadSuites } from "./load.ts";
 * const suites = await loadSuites(["scenarios/demo"], { set: { HOST: "127.0.0.1" } });
 * suites.flatMap((s) => s.cases).length;
 * ```
 */
export async function loadSuites(
  paths: string[],
  options: Omit<LoadSuiteOptions, "file"> = {},
): Promise<Suite[]> {
  const suites: Suite[] = [];
  let budget = options.maxCases ?? MAX_CASES;
  for (const file of await findSuiteFiles(paths)) {
    // Each suite may use what the ones before it left of the run's limit.
    const suite = await loadSuite({ ...options, file, maxCases: budget });
    budget -= suite.cases.length;
    suites.push(suite);
  }
  return suites;
}
