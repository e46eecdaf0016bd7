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

/**
 * Text for a JUnit report, before {@linkcode escapeMarkup}: the second
 * bracket of every `[[` and `]]` as `\x5B` and `\x5D`, so that no peer text
 * (a certificate subject, an error text, a SUT's log) forms the lines CI
 * tools act on: Jenkins' attachments plugin copies the file of a
 * `[[ATTACHMENT|/path]]` line in system-out from the build agent into the
 * build's results, and reads `[[PROPERTY|name=value]]` lines as properties.
 *
 * @example
 * ```ts
 * import { junitText } from "./_text.ts";
 * junitText("CN=[[ATTACHMENT|/etc/passwd]]"); // "CN=[\\x5BATTACHMENT|/etc/passwd]\\x5D"
 * ```
 */
export function junitText(text: string): string {
  return text.replace(/(?<=\[)\[/g, "\\x5B").replace(/(?<=\])\]/g, "\\x5D");
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
export function redactRun(
  run: RunResult,
  secrets: ReadonlySet<string> = secretValues(run),
): RunResult {
  const cases = (c: CaseResult): CaseResult =>
    c.settings ? { ...c, settings: redactSettings(c.settings) } : c;
  const invocation = (i: RunInvocation | undefined) =>
    i && { ...i, commandLine: redactArgs(i.commandLine, secrets) };
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

/**
 * The values of every case's secret-named settings: a PKCS#12 password given
 * as `--set pw=...` is redacted from the command line though `pw` names no
 * secret. Renderers that redact the run without its cases pass the set of
 * the whole run.
 *
 * @example
 * ```ts
 * import { secretValues } from "./_text.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * secretValues(run); // e.g. Set { "s3cret" }
 * ```
 */
export function secretValues(run: RunResult): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown, secret: boolean): void => {
    if (typeof value === "string") {
      if (secret && value !== "") found.add(value);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, secret));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, secret || isSecretName(k));
    }
  };
  for (const suite of run.suites) {
    for (const c of [suite.sanity, ...suite.cases]) if (c?.settings) walk(c.settings, false);
  }
  return found;
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
 * `--p12-password=X`, `--set password=X`) redacted, and any value among
 * `secrets` (`--set pw=X` where X is a case's password).
 */
export function redactArgs(
  args: readonly string[],
  secrets: ReadonlySet<string> = new Set(),
): string[] {
  // NAME=VALUE of --set: redacted by its name or its value.
  const setting = (nameValue: string) => {
    const m = /^([^=]+)=(.*)$/s.exec(nameValue);
    return m && (isSecretName(m[1]) || secrets.has(m[2])) ? `${m[1]}=${REDACTED}` : nameValue;
  };
  return args.map((arg, i) => {
    const flag = /^(--?([\w-]+))=(.*)$/s.exec(arg);
    if (flag?.[2] === "set") return `${flag[1]}=${setting(flag[3])}`;
    if (flag && (isSecretName(flag[2]) || secrets.has(flag[3]))) return `${flag[1]}=${REDACTED}`;
    const previous = /^--?([\w-]+)$/.exec(args[i - 1] ?? "");
    if (previous && isSecretName(previous[1]) && !arg.startsWith("-")) return REDACTED;
    if (previous?.[1] === "set") return setting(arg);
    return secrets.has(arg) ? REDACTED : arg;
  });
}

/** A command line as one line to paste into a shell: arguments with shell characters quoted. */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => a === REDACTED ? a : shellQuote(a)).join(" ");
}
