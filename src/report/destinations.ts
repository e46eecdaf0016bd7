import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../yaml/mod.ts";

/**
 * Where a report path really leads: our stdout or stderr (`-`,
 * `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1` and links to them), or a file
 * by its real path (links followed, `..` resolved, folders through their real
 * path even when the file does not exist yet). Two paths that lead to one
 * place give equal destinations.
 */
export type Destination =
  | { kind: "stdout" }
  | { kind: "stderr" }
  | { kind: "file"; real: string };

/** A report path and the option that asked for it (`--json`), to name both in a message. */
export interface ReportRequest {
  /** The path as given. */
  path: string;
  /** The option that gave it, e.g. `--json` or `--reports`. */
  label?: string;
}

/** A file the run reads, which no report may replace. */
export interface InputFile {
  /** The path as given or found. */
  path: string;
  /** What it is to the run, e.g. "the suite" or "the --vars file". */
  what: string;
}

/**
 * Resolves a report path to where it leads ({@linkcode Destination}).
 *
 * @example
 * ```ts
 * await reportDestination("/proc/self/fd/1"); // { kind: "stdout" }
 * await reportDestination("reports/../results.json"); // { kind: "file", real: "/abs/results.json" }
 * ```
 */
export async function reportDestination(path: string): Promise<Destination> {
  if (path === "-") return { kind: "stdout" };
  let current = resolve(path);
  // A chain of links (a user's link to /dev/stdout, /dev/stdout to /proc/self/fd/1) is
  // followed only until it reaches a name of fd 1 or 2: what lies beyond (a pipe, a tty
  // shared by both) is the stream itself, not a file.
  for (let hops = 0; hops < 40; hops++) {
    const real = join(await realFolder(dirname(current)), basename(current));
    const stdio = stdioStream(real);
    if (stdio) return { kind: stdio };
    let link: string;
    try {
      if (!(await Deno.lstat(real)).isSymlink) return { kind: "file", real };
      link = await Deno.readLink(real);
    } catch {
      return { kind: "file", real };
    }
    current = resolve(dirname(real), link);
  }
  return { kind: "file", real: current };
}

/**
 * Refuses, before anything runs, reports that would clash: two going to
 * stdout, two going to one file (the second would replace the first), or
 * one replacing an input of the run (a suite, a variables file, a
 * credential). Throws an {@linkcode InputError} naming the options and
 * paths.
 *
 * @example
 * ```ts
 * await checkReportClashes(
 *   [{ path: "out.json", label: "--json" }, { path: "./out.json", label: "--junit" }],
 *   [{ path: "suite.yaml", what: "the suite" }],
 * ); // throws: two reports would be written to one file: --json out.json and --junit ./out.json
 * ```
 */
export async function checkReportClashes(
  reports: (string | ReportRequest)[],
  inputs: InputFile[] = [],
): Promise<void> {
  const requests = reports.map((r) => typeof r === "string" ? { path: r } : r);
  const named = (r: ReportRequest) => r.label ? `${r.label} ${r.path}` : r.path;
  const resolved = await Promise.all(
    requests.map(async (r) => ({ ...r, to: await reportDestination(r.path) })),
  );
  const toStdout = resolved.filter((r) => r.to.kind === "stdout");
  if (toStdout.length > 1) {
    throw new InputError({
      message: `more than one report is to go to stdout (${toStdout.map(named).join(", ")})`,
      hint: "send one report to -, the others to files",
    });
  }
  const seen = new Map<string, ReportRequest>();
  for (const r of resolved) {
    if (r.to.kind !== "file") continue;
    const first = seen.get(r.to.real);
    if (first) {
      throw new InputError({
        message: `two reports would be written to one file: ${named(first)} and ${named(r)}`,
        hint: "give each report its own file",
      });
    }
    seen.set(r.to.real, r);
  }
  for (const input of inputs) {
    const real = await Deno.realPath(input.path).catch(() => undefined);
    const clash = real && seen.get(real);
    if (clash) {
      throw new InputError({
        message: `cannot write report ${clash.path}: it would replace ${input.what}${
          input.path === clash.path ? "" : ` ${input.path}`
        }`,
        hint: "give the report a path of its own (nothing was written)",
      });
    }
  }
}

// The real path of a folder, or of its nearest existing ancestor with the rest appended.
async function realFolder(dir: string): Promise<string> {
  try {
    return await Deno.realPath(dir);
  } catch {
    const parent = dirname(dir);
    return parent === dir ? dir : join(await realFolder(parent), basename(dir));
  }
}

function stdioStream(real: string): "stdout" | "stderr" | undefined {
  const self = `/proc/${Deno.pid}`;
  const m = real.match(/^\/dev\/(stdout|stderr)$/) ??
    (real.startsWith(`${self}/`)
      ? real.slice(self.length).match(/^(?:\/task\/\d+)?\/fd\/([12])$/)
      : null);
  if (!m) return undefined;
  return m[1] === "stdout" || m[1] === "1" ? "stdout" : "stderr";
}
