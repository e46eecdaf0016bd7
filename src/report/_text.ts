import { shellQuote } from "../process/mod.ts";
import type { CaseResult, RunInvocation, RunResult } from "../runner/result.ts";
import { terminalSafe } from "../text/mod.ts";

// Text safety shared by every reporter: markup escaping, control characters
// (by the one terminal sanitiser), and keeping secrets (private keys,
// passwords) out of reports.
const ENTITIES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Escapes text for XML/HTML content and attribute values. Control and
 * invisible format characters (C0 but LF and TAB, DEL, C1, bidi overrides,
 * lone surrogates, U+FFFE/FFFF) first become visible escapes, as on the
 * console: the page or XML stays valid, and a viewer that prints it to a
 * terminal shows them instead of acting on them.
 */
export function escapeMarkup(text: string): string {
  return terminalSafe(text, { keepLineBreaks: true }).replace(/[<>&"']/g, (c) => ENTITIES[c]);
}

const PEM_PRIVATE_KEY =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;
// Setting names whose values are secrets or point at them: key, privateKey,
// keyFile, password, passphrase, p12/pfx/pkcs12 bundles.
const SECRET_NAME =
  /^(.*[-_]?key([-_]?(file|path|pem))?|.*pass(word|phrase)?|.*(p12|pfx|pkcs12).*|.*secret.*)$/i;
const PUBLIC_NAME = /(public[-_]?key|key[-_]?(usage|type|size|algorithm))$/i;

/** The text shown instead of a secret. */
export const REDACTED = "[redacted]";

/** Whether a settings key names a secret (private key, password, PKCS#12 bundle). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PUBLIC_NAME.test(name);
}

/** Replaces PEM private key blocks in free text (peer logs, error messages). */
export function scrubText(text: string): string {
  return text.replace(PEM_PRIVATE_KEY, "[private key removed]");
}

/**
 * A deep copy of a run with PEM private keys scrubbed from every string and,
 * in each case's `settings`, the values of secret-named keys redacted. Every
 * reporter passes the run through it, so no report carries a secret.
 */
export function redactRun(run: RunResult): RunResult {
  const cases = (c: CaseResult): CaseResult =>
    c.settings ? { ...c, settings: redactSettings(c.settings) } : c;
  const invocation = (i: RunInvocation | undefined) =>
    i && { ...i, commandLine: redactArgs(i.commandLine) };
  return scrub({
    ...run,
    invocation: invocation(run.invocation),
    shards: run.shards?.map((s) => ({ ...s, invocation: invocation(s.invocation) })),
    suites: run.suites.map((s) => ({
      ...s,
      sanity: s.sanity && cases(s.sanity),
      cases: s.cases.map(cases),
    })),
  });
}

/** {@linkcode redactRun} of one case: a deep copy, scrubbed and redacted alike. */
export function redactCase(c: CaseResult): CaseResult {
  return scrub(c.settings ? { ...c, settings: redactSettings(c.settings) } : c);
}

function redactSettings(value: unknown): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(
      Object.entries(v).map((
        [k, x],
      ) => [k, x !== undefined && isSecretName(k) ? REDACTED : walk(x)]),
    );
  };
  return walk(value) as Record<string, unknown>;
}

function scrub<T>(value: T): T {
  if (typeof value === "string") {
    return (value.includes("PRIVATE KEY") ? scrubText(value) : value) as T;
  }
  if (Array.isArray(value)) return value.map(scrub) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = scrub(v);
  return out as T;
}

/**
 * A command line with the values of secret-named flags (`--password X`,
 * `--p12-password=X`, `--set password=X`) redacted.
 */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const flag = /^--?([\w-]+)=/.exec(arg);
    if (flag && isSecretName(flag[1])) return `${flag[0]}${REDACTED}`;
    const previous = /^--?([\w-]+)$/.exec(args[i - 1] ?? "");
    if (previous && isSecretName(previous[1]) && !arg.startsWith("-")) return REDACTED;
    const set = previous?.[1] === "set" ? /^([^=]+)=/.exec(arg) : null;
    if (set && isSecretName(set[1])) return `${set[0]}${REDACTED}`;
    return arg;
  });
}

/** A command line as one line to paste into a shell: arguments with shell characters quoted. */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => a === REDACTED ? a : shellQuote(a)).join(" ");
}
