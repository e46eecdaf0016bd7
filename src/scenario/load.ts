import { dirname, resolve } from "node:path";
import {
  InputError,
  InputErrors,
  readYamlFile,
  type SchemaProblem,
  schemaProblems,
  type YamlPath,
  type YamlSource,
} from "../yaml/mod.ts";
import { parseDuration } from "./duration.ts";
import { interpolate, type InterpolationContext } from "./interpolate.ts";
import { defaultPkiCacheDir, loadSuitePki, type SuitePki } from "./_pki.ts";
import { type HarnessLayer, resolveHarness } from "./_harness.ts";
import { buildExpectation, vocabularyProblems } from "./_expectation.ts";
import { expectationPath, OUTCOME_KEYS, OUTCOME_PATHS } from "./expectation_keys.ts";
import { displayPath, existingPart10File, existingPath } from "./_walk.ts";
import { Part10Total } from "../part10/mod.ts";
import { inboundCase, inTrigger } from "./_inbound.ts";

export { displayPath };
import { SCENARIO_SCHEMA } from "./vocabulary.ts";
import AE_SCHEMA from "../../schemas/ae.schema.json" with { type: "json" };
import type { Case, Expectation, Suite, SuiteInstance, SutTarget } from "./types.ts";
import { _SharedParts } from "./_share.ts";
import { Problems } from "./_problems.ts";
import { resolveSut } from "./_sut.ts";
import { DURATION_HINT, durationAt, portAt } from "./_values.ts";
import { findSuites, isPkiSpec } from "./find.ts";

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
  /**
   * `--pki PATH`: the PKI of every suite instead of its own `pki:`: a folder
   * `dicomtls pki` wrote (the one the device trusts) or a spec.
   */
  pki?: string;
  /** The most cases a suite (and a whole {@linkcode loadSuites}) may expand to; default {@linkcode MAX_CASES}. */
  maxCases?: number;
  /**
   * The `files:` of the suites loaded so far, against the 2 GiB a run holds
   * (the suites of one {@linkcode loadSuites} share one); default a new one.
   */
  filesTotal?: Part10Total;
}

/** The total of a run's `files:`, for {@linkcode LoadSuiteOptions.filesTotal}. */
function runFilesTotal(): Part10Total {
  return new Part10Total({
    distinct: true,
    hint: "a run holds each file it sends until the end: run the suites one at a time, " +
      "or split the cases over several suites",
  });
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
  if (isPkiSpec(source.value)) {
    // Its schema errors (no 'suite', unknown 'authorities') would hide what it is.
    throw source.error(
      [],
      "this is a PKI spec (authorities, certificates), not a suite",
      `generate it with 'dicomtls pki ${file} --out DIR' and give that folder to run and validate with --pki DIR, or name the spec in a suite's 'pki:'`,
    );
  }
  if (source.value === null || source.value === undefined) {
    // An empty file (or comments only): the schema's "must be object, not null" hides that.
    throw source.error(
      [],
      "the file is empty: no suite in it",
      "start it with 'suite: NAME', then 'peers:' and 'cases:'; docs/scenarios.md has a complete example",
    );
  }
  const problems = new Problems();
  const found = [
    ...vocabularyProblems(source),
    ...schemaProblems(source, SCENARIO_SCHEMA, { refs: [AE_SCHEMA] }),
  ];
  found.forEach((p) => problems.add(p.error));
  // A problem inside a case stops only that case; anywhere else, the suite.
  const caseOf = (p: SchemaProblem) =>
    p.path[0] === "cases" && typeof p.path[1] === "number" ? p.path[1] : undefined;
  if (found.some((p) => caseOf(p) === undefined)) problems.throwIfAny();
  const broken = new Set(found.map(caseOf));
  const doc = source.value as Raw;
  await problems.collect(() => checkDuplicateNames(source, doc.cases));
  checkCaseCount(source, options.maxCases ?? MAX_CASES);
  const filesTotal = options.filesTotal ?? runFilesTotal();
  // Two entries alike would give two cases one id: stop before expanding.
  if (!await problems.collect(() => checkMatrixValues(source, doc.matrix))) problems.throwIfAny();
  const env = options.env ?? Deno.env.toObject();
  const cacheDir = options.pkiCacheDir ?? defaultPkiCacheDir();

  const instances: SuiteInstance[] = [];
  const cases: Case[] = [];
  const shared = new _SharedParts();
  for (const matrix of matrixEntries(doc.matrix)) {
    const context: InterpolationContext = { env, set: options.set ?? {}, matrix, suiteDir: dir };
    // What every case needs (PKI, target) stops this matrix entry; a broken case stops only itself.
    const instance = await problems.collect(async () => {
      const pki = await loadSuitePki({ source, dir, context, override: options.pki, cacheDir });
      const { matrix: _, cases: __, ...rest } = doc;
      // Triggers keep ${harness.*} and ${dicomtls} for the run.
      const full = { ...context, pki: pki?.fields, deferHarness: inTrigger };
      const d = interpolate(rest, { source, path: [], context: full }) as Raw;
      return { pki, d, full, sut: await resolveSut(d.peers, source, dir) };
    });
    if (!instance) continue;
    const { pki, d, full, sut } = instance;
    const label = matrix ? Object.entries(matrix).map(([k, v]) => `${k}=${v}`).join(",") : "";
    const group = label ? `${file}[${label}]` : file;
    if (instances.some((i) => i.id === group)) {
      // Values that differ but read alike in the label: a: ["x,b=y"] beside b.
      problems.add(source.error(
        ["matrix"],
        `two matrix entries give the same label [${label}]`,
        "matrix values must not contain ',' or '=' that make one entry read as another: change one",
        { key: true },
      ));
      continue;
    }
    const limits = [d.concurrency, d.peers.sut.concurrency].filter((n) => n !== undefined);
    instances.push({
      id: group,
      name: d.suite,
      ...(d.description !== undefined ? { description: d.description } : {}),
      ...(matrix ? { matrix } : {}),
      sut,
      ...(limits.length ? { concurrency: Math.min(...limits) } : {}),
      ...(pki ? { pki: { spec: pki.spec, dir: pki.dir } } : {}),
    });
    for (const [i, raw] of (doc.cases as Raw[]).entries()) {
      if (broken.has(i)) continue;
      const built = await problems.collect(() => {
        const c = interpolate(raw, { source, path: ["cases", i], context: full }) as Raw;
        return buildCase(c, i, {
          d,
          source,
          dir,
          pki,
          sut,
          group,
          label,
          matrix,
          file,
          filesTotal,
        });
      });
      if (built) cases.push(shared.case(built));
    }
  }
  checkUniqueIds(cases).forEach((p) => problems.add(p));
  problems.throwIfAny();
  return {
    // As written only when no instance loaded, and then problems.throwIfAny() threw.
    name: instances[0]?.name ?? doc.suite,
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
  filesTotal: Part10Total;
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
  const inbound = ctx.sut.role === "scu";
  const harness = await resolveHarness(harnessLayers, {
    source,
    dir,
    pki: ctx.pki,
    calledAe: ctx.sut.ae,
    role: inbound ? "acceptor" : "requestor",
  });
  const listen = inbound
    ? await inboundCase(c, {
      at,
      layers: harnessLayers,
      sutTrigger: ctx.sut.trigger,
      source,
      dir,
      port: (v, p) => portAt(v, p, source),
    })
    : undefined;
  const { operation, files } = await operationOf(c, {
    at,
    defaults,
    source,
    dir,
    total: ctx.filesTotal,
  });
  const timeoutAt: YamlPath = c.timeout !== undefined
    ? [...at, "timeout"]
    : ["defaults", "timeout"];
  const timeoutMs = durationAt(
    c.timeout ?? defaults.timeout ?? DEFAULT_CASE_TIMEOUT_MS,
    timeoutAt,
    source,
  );
  const expect = caseExpectation(c, { at, defaults, source, operation, inbound });
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
    ...(listen ? { inbound: listen } : {}),
  };
}

// What the case does (echo, or store these files), checked against each other.
async function operationOf(
  c: Raw,
  o: { at: YamlPath; defaults: Raw; source: YamlSource; dir: string; total: Part10Total },
): Promise<{ operation: "echo" | "store"; files: string[] }> {
  const { at, defaults, source, dir, total } = o;
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
  const entries = operation === "store" ? [...fileList.entries()] : [];
  // The run's total first, from the sizes: past it, a file is refused unread, as store does.
  for (const [j, f] of entries) {
    const path = [...filesAt, j];
    const full = await existingPath(source, { dir, file: f, path, what: "DICOM file" });
    const over = total.add(full, (await Deno.stat(full)).size);
    if (over) throw source.error(path, over.message, over.hint);
  }
  // One at a time: each is read whole, and may be large.
  const files: string[] = [];
  for (const [j, f] of entries) {
    files.push(await existingPart10File(source, { dir, file: f, path: [...filesAt, j] }));
  }
  return { operation, files };
}

// The case's expectations over the defaults', checked: the right operation, real
// durations, and something about how the conversation ends.
function caseExpectation(
  c: Raw,
  o: { at: YamlPath; defaults: Raw; source: YamlSource; operation: string; inbound: boolean },
): Expectation {
  const { at, defaults, source, operation, inbound } = o;
  const expect = buildExpectation([
    { value: defaults.expect, path: ["defaults", "expect"] },
    { value: c.expect, path: [...at, "expect"] },
  ], source);
  const other = operation === "echo" ? "store" : "echo";
  const wrong = !inbound && expect.checks.find((k) => k.path === other);
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
  return expect;
}

function checkDuplicateNames(source: YamlSource, cases: Raw[]) {
  const seen = new Map<string, number>();
  const found: InputError[] = [];
  cases.forEach((c, i) => {
    // A case that is not a mapping (`- ~`) has its schema error already.
    if (!c || typeof c !== "object") return;
    const first = seen.get(c.name);
    if (first === undefined) {
      seen.set(c.name, i);
      return;
    }
    const was = source.locate(["cases", first, "name"]);
    found.push(source.error(
      ["cases", i, "name"],
      `duplicate case name '${c.name}' (first at ${source.file}:${was.line}:${was.column})`,
      "case names must be unique within a suite: rename one",
    ));
  });
  if (found.length) throw InputErrors.of(found);
}

// A value repeated in one matrix variable (`a: [x, x]`, or 1 and "1", alike as
// text) would run every case twice under one id.
function checkMatrixValues(source: YamlSource, matrix?: Record<string, unknown>): true {
  const found: InputError[] = [];
  for (const [key, values] of Object.entries(matrix ?? {})) {
    if (!Array.isArray(values)) continue;
    const seen = new Map<string, number>();
    values.forEach((v, j) => {
      const text = String(v);
      const first = seen.get(text);
      if (first === undefined) return void seen.set(text, j);
      const was = source.locate(["matrix", key, first]);
      found.push(source.error(
        ["matrix", key, j],
        `matrix value '${text}' of '${key}' repeats (first at ${source.file}:${was.line}:${was.column}): every case would run twice under one id`,
        `remove one: the values of a matrix variable must differ as text, and 1 and "1" do not`,
      ));
    });
  }
  if (found.length) throw InputErrors.of(found);
  return true;
}

// Each case id once: names that differ as written can be alike once ${...} is
// interpolated ('c ${set.A}' and 'c ${set.B}' with A=B).
function checkUniqueIds(cases: readonly Case[]): InputError[] {
  const seen = new Map<string, Case>();
  const found: InputError[] = [];
  for (const c of cases) {
    const first = seen.get(c.id);
    if (!first) {
      seen.set(c.id, c);
      continue;
    }
    found.push(
      new InputError({
        message:
          `duplicate case name '${c.name}' once \${...} is replaced (first at ${first.location.file}:${
            first.location.line ?? 0
          }:${first.location.column ?? 0})`,
        location: c.location,
        hint: "case names must be unique within a suite: rename one, or use other values",
      }),
    );
  }
  return found;
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
 * Loads every suite named by `paths` (files, or the suites of folders: their
 * `*.yaml` files with a top-level `suite:`, sorted), and throws every problem
 * of every file ({@linkcode InputErrors} when there are several).
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
  const problems = new Problems();
  let budget = options.maxCases ?? MAX_CASES;
  const filesTotal = options.filesTotal ?? runFilesTotal();
  for (const file of (await findSuites(paths)).files) {
    // Each suite may use what the ones before it left of the run's limits.
    const suite = await problems.collect(() =>
      loadSuite({ ...options, file, maxCases: budget, filesTotal })
    );
    if (!suite) continue;
    budget -= suite.cases.length;
    suites.push(suite);
  }
  problems.throwIfAny();
  return suites;
}
