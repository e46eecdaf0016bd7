import { closest, InputError, type YamlPath, type YamlSource } from "../yaml/mod.ts";

/** Fields of `${pki.NAME.FIELD}`. */
export const PKI_FIELDS = [
  "crt",
  "key",
  "chain",
  "p12",
  "der",
  "crl",
  "sha1",
  "sha256",
  "subject",
  "password",
] as const;

/**
 * What `${...}` can refer to in a scenario.
 *
 * @example
 * ```ts
 * import type { InterpolationContext } from "./interpolate.ts";
 * const ctx: InterpolationContext = { env: { HOST: "127.0.0.1" }, set: {}, suiteDir: "/s" };
 * ```
 */
export interface InterpolationContext {
  /** `${env.NAME}` and `${env.NAME:-default}`. */
  env: Record<string, string | undefined>;
  /** `${set.KEY}` from `--set KEY=VALUE`. */
  set: Record<string, string>;
  /** `${matrix.KEY}`: the current matrix entry. */
  matrix?: Record<string, string>;
  /** `${suite.dir}`: the scenario file's folder. */
  suiteDir: string;
  /** `${pki.NAME.FIELD}`: per certificate name, the values of {@linkcode PKI_FIELDS} it has. */
  pki?: Record<string, Partial<Record<string, string>>>;
  /**
   * Where `${harness.host|port|ae}` and `${dicomtls}` are left for the run to
   * fill in (an inbound trigger): strings at these paths keep them, and keep
   * `$${` as written, for the second pass. Elsewhere they are an error.
   */
  deferHarness?: (path: YamlPath) => boolean;
}

/** The names `${harness.NAME}` may use in a trigger. */
const HARNESS_NAMES = ["host", "port", "ae"];

const PATTERN = /\$\$\{|\$\{([^}]*)(\})?/g;

/**
 * Replaces every `${...}` in the strings of `value` (deeply), in place of a
 * copy. `$${` is a literal `${`. An undefined variable is an
 * {@linkcode InputError} at the exact line and column of the `${` in the file,
 * with a hint listing what is defined.
 *
 * @example
 * ```ts
 * import { interpolate } from "./interpolate.ts";
 * import { parseYaml } from "../yaml/mod.ts";
 * const source = parseYaml("host: ${env.H:-localhost}\n", "s.yaml");
 * interpolate(source.value, { source, path: [], context: { env: {}, set: {}, suiteDir: "." } });
 * // { host: "localhost" }
 * ```
 */
export function interpolate(
  value: unknown,
  options: { source: YamlSource; path: YamlPath; context: InterpolationContext },
): unknown {
  const { source, path, context } = options;
  if (typeof value === "string") return interpolateString(value, source, path, context);
  if (Array.isArray(value)) {
    return value.map((v, i) => interpolate(v, { source, path: [...path, i], context }));
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map((
        [k, v],
      ) => [k, interpolate(v, { source, path: [...path, k], context })]),
    );
  }
  return value;
}

function interpolateString(
  text: string,
  source: YamlSource,
  path: YamlPath,
  context: InterpolationContext,
): string {
  if (!text.includes("${")) return text;
  const deferred = context.deferHarness?.(path) ?? false;
  return text.replace(PATTERN, (match: string, expr?: string, close?: string) => {
    if (match === "$${") return deferred ? match : "${";
    const fail = (message: string, hint: string) =>
      new InputError({ message, hint, location: locateText(source, path, match) });
    if (!close) {
      throw fail(
        `unterminated '\${' in '${text}'`,
        "close it with '}', or write $${ for a literal ${",
      );
    }
    if (expr!.includes("${")) {
      throw fail(
        `a '\${' inside another '\${...}' in '${text}': variables do not nest`,
        "name one variable in each ${...}; give a computed value with --set KEY=VALUE or --vars",
      );
    }
    const found = resolve(expr!.trim(), context, deferred);
    if (typeof found === "string") return found;
    throw fail(found.message, found.hint);
  });
}

type Problem = { message: string; hint: string };

// A record's own value: `${set.constructor}` is not Object.prototype.constructor.
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function resolve(expr: string, context: InterpolationContext, deferred: boolean): string | Problem {
  const dot = expr.indexOf(".");
  const scope = dot < 0 ? expr : expr.slice(0, dot);
  const tail = dot < 0 ? "" : expr.slice(dot + 1);
  // `:-default` works for every scope but pki: ${env.X:-a}, ${set.port:-11112}, ${matrix.k:-b}.
  const sep = scope === "pki" ? -1 : tail.indexOf(":-");
  const rest = sep < 0 ? tail : tail.slice(0, sep);
  const fallback = sep < 0 ? undefined : tail.slice(sep + 2);
  const undefinedVar = (hint: string): string | Problem =>
    fallback ?? {
      message: `undefined variable '\${${expr}}'`,
      hint,
    };
  const listed = (what: string, keys: string[], prefix: string) =>
    keys.length
      ? `defined ${what}: ${keys.map((k) => `${prefix}${k}`).join(", ")}`
      : `no ${what} are defined`;
  switch (scope) {
    case "env": {
      const value = own(context.env, rest);
      if (value !== undefined) return value;
      return undefinedVar(
        `set ${rest} in the environment, or give a default: \${env.${rest}:-VALUE}`,
      );
    }
    case "set": {
      const value = own(context.set, rest);
      if (value !== undefined) return value;
      return undefinedVar(
        `pass --set ${rest}=VALUE, or give a default: \${set.${rest}:-VALUE}; ${
          listed("--set keys", Object.keys(context.set), "set.")
        }`,
      );
    }
    case "matrix": {
      const value = context.matrix && own(context.matrix, rest);
      if (value !== undefined) return value;
      return undefinedVar(
        context.matrix
          ? listed("matrix keys", Object.keys(context.matrix), "matrix.")
          : "the suite has no matrix: add 'matrix:' or remove the reference",
      );
    }
    case "suite":
      if (rest === "dir") return context.suiteDir;
      return undefinedVar("defined: suite.dir");
    case "pki":
      return resolvePki(expr, rest, context);
    case "harness":
    case "dicomtls":
      return deferredVar(expr, scope, rest, deferred);
    default:
      return undefinedVar(
        "variables are env.NAME, set.KEY, matrix.KEY, suite.dir and pki.NAME.FIELD",
      );
  }
}

// `${harness.port}` and `${dicomtls}` belong to inbound triggers, filled in when a case runs.
function deferredVar(
  expr: string,
  scope: string,
  rest: string,
  deferred: boolean,
): string | Problem {
  const known = scope === "dicomtls" ? rest === "" : HARNESS_NAMES.includes(rest);
  if (!known) {
    return {
      message: `undefined variable '\${${expr}}'`,
      hint: "a trigger may use harness.host, harness.port, harness.ae and dicomtls",
    };
  }
  if (deferred) return `\${${expr}}`;
  return {
    message: `'\${${expr}}' is only known when an inbound case runs`,
    hint: "use it in a trigger (peers.sut.trigger or a case's trigger)",
  };
}

function resolvePki(expr: string, rest: string, context: InterpolationContext): string | Problem {
  if (!context.pki) {
    return {
      message: `'\${${expr}}' needs a PKI`,
      hint: "name a PKI spec with 'pki:' at the top of the suite (not usable inside 'pki:' itself)",
    };
  }
  const dot = rest.lastIndexOf(".");
  const name = dot < 0 ? rest : rest.slice(0, dot);
  const field = dot < 0 ? "" : rest.slice(dot + 1);
  const names = Object.keys(context.pki);
  const entry = own(context.pki, name);
  if (!entry) {
    const near = closest(name, names);
    return {
      message: `unknown PKI name '${name}' in '\${${expr}}'`,
      hint: near ? `did you mean '${near}'?` : `PKI names: ${names.join(", ")}`,
    };
  }
  if (!(PKI_FIELDS as readonly string[]).includes(field)) {
    return {
      message: `unknown PKI field '${field}' in '\${${expr}}'`,
      hint: `fields: ${PKI_FIELDS.join(", ")}`,
    };
  }
  const value = own(entry, field);
  if (value !== undefined) return value;
  return {
    message: `PKI certificate '${name}' has no ${field} in '\${${expr}}'`,
    hint:
      `only authorities have a crl and only certificates below an intermediate have a chain; it has: ${
        Object.keys(entry).join(", ")
      }`,
  };
}

// The line and column of `literal` itself inside the scalar at `path`.
function locateText(source: YamlSource, path: YamlPath, literal: string) {
  const at = source.locate(path);
  const lines = source.text.split("\n");
  let offset = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + at.column - 1;
  offset = source.text.indexOf(literal, offset);
  if (offset < 0) return { file: source.file, ...at };
  const before = source.text.slice(0, offset).split("\n");
  return { file: source.file, line: before.length, column: before[before.length - 1].length + 1 };
}
