import { dirname, join } from "node:path";
import { InputError } from "../yaml/mod.ts";
import {
  checkReportClashes,
  type InputFile,
  reportDestination,
  type ReportRequest,
} from "./destinations.ts";

/**
 * Where one report goes: `stdout` for the path `-` or another name of our
 * stdout (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`, a link to one of
 * them: written like `-`, with the progress on stderr); `file` for a regular
 * file or a path that does not exist yet (written to a temporary file beside
 * it, then renamed over it); `through` for a symbolic link such as
 * `/dev/stdout` (opened and written, never replaced).
 */
export type ReportTarget =
  | { kind: "stdout"; path: string }
  | { kind: "file"; path: string }
  | { kind: "through"; path: string };

/**
 * Decides where a report path leads, refusing what a report must not
 * replace: a folder, a device, a FIFO or a socket given directly, and
 * stderr (where the progress and messages go). Throws an
 * {@linkcode InputError} saying why.
 *
 * @example
 * ```ts
 * await reportTarget("-"); // { kind: "stdout", path: "-" }
 * await reportTarget("/dev/stdout"); // { kind: "stdout", path: "/dev/stdout" }
 * await reportTarget("reports/results.json"); // { kind: "file", ... }
 * ```
 */
export async function reportTarget(path: string): Promise<ReportTarget> {
  const target = await classifyTarget(path);
  if ("refused" in target) throw cannotWrite(path, target.refused, target.hint);
  return target;
}

/** {@linkcode reportTarget} without throwing: why a path is refused, and a hint. */
export async function classifyTarget(
  path: string,
): Promise<ReportTarget | { refused: string; hint: string }> {
  if (path === "") {
    return { refused: "the path is empty", hint: "give a file path, or - for stdout" };
  }
  if (path === "-") return { kind: "stdout", path };
  // Written through the link, /dev/stdout truncated a redirected file and took the
  // progress lines before the report; like -, the report is then alone on stdout.
  const destination = await reportDestination(path);
  if (destination.kind === "stdout") return { kind: "stdout", path };
  if (destination.kind === "stderr") {
    return {
      refused: "it is stderr, where the progress and messages go",
      hint: "send the report to - (stdout) or to a file",
    };
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      // newdir/ or x/.. passed as a new file's name, and the rename after the run failed.
      const folder = namesAFolder(path);
      if (folder) return { refused: `it names a folder (it ends in ${folder})`, hint: FILE_HINT };
      return { kind: "file", path };
    }
    if (notAFolder(e)) return { refused: IN_THE_WAY(await fileInTheWay(path)), hint: FOLDER_HINT };
    return { refused: (e as Error).message, hint: "check the path and its folders" };
  }
  if (info.isSymlink) return { kind: "through", path };
  if (info.isFile) return { kind: "file", path };
  if (info.isDirectory) {
    return { refused: "it is a folder", hint: FILE_HINT };
  }
  return {
    refused: "it is a device, FIFO or socket, not a regular file",
    hint: "give a file path, or - to write the report to stdout",
  };
}

/**
 * Checks, before anything runs, that every report can be written: each path
 * leads somewhere a report may go ({@linkcode reportTarget}), no two go to
 * stdout or to one file and none replaces one of `inputs`
 * ({@linkcode checkReportClashes}), a symbolic link
 * opens for writing, and each folder exists (created if missing) and takes a
 * new file (one is created and removed). Nothing is created before the paths
 * pass the checks that need no writing. Throws an {@linkcode InputError}
 * naming the path and the reason; returns where each report goes, in the
 * order given.
 *
 * @example
 * ```ts
 * const targets = await checkReportTargets([
 *   { path: "reports/junit.xml", label: "--junit" },
 *   { path: "-", label: "--json" },
 * ]);
 * targets.some((t) => t.kind === "stdout"); // true: the progress goes to stderr
 * ```
 */
export async function checkReportTargets(
  reports: (string | ReportRequest)[],
  options: { inputs?: InputFile[] } = {},
): Promise<ReportTarget[]> {
  const targets: ReportTarget[] = [];
  for (const r of reports) targets.push(await reportTarget(typeof r === "string" ? r : r.path));
  await checkReportClashes(reports, options.inputs);
  for (const target of targets) {
    const path = target.path;
    if (target.kind === "stdout") continue;
    if (target.kind === "through") {
      try {
        (await Deno.open(path, { write: true })).close();
      } catch (e) {
        throw cannotWrite(path, (e as Error).message, "check what the link points to");
      }
      continue;
    }
    await probeFolder(path);
  }
  return targets;
}

async function probeFolder(path: string) {
  const dir = dirname(path);
  const probe = join(dir, `.dicomtls-probe-${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await Deno.mkdir(dir, { recursive: true });
    (await Deno.open(probe, { write: true, createNew: true })).close();
  } catch (e) {
    const why = notAFolder(e)
      ? IN_THE_WAY(await fileInTheWay(dir))
      : `cannot create a file in ${dir}: ${(e as Error).message}`;
    throw cannotWrite(path, why, FOLDER_HINT);
  } finally {
    await Deno.remove(probe).catch(() => {});
  }
}

const FOLDER_HINT = "choose a folder you can write for the reports";
const FILE_HINT = "give a file path such as DIR/results.json, or --reports DIR for a folder";

// How a path ends when its last part can only be a folder ("/", "." or ".."), else undefined.
function namesAFolder(path: string): string | undefined {
  if (path.endsWith("/")) return "/";
  const last = path.slice(path.lastIndexOf("/") + 1);
  return last === "." || last === ".." ? last : undefined;
}
const IN_THE_WAY = (dir: string) => `${dir} is not a folder (a file is in the way)`;

// The first part of a path that exists and is not a folder (afile of afile/ or afile/sub/x.json):
// the parent of the report's name was "." for afile/, and a folder not yet made for afile/sub.
async function fileInTheWay(path: string): Promise<string> {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    if (prefix === "" || parts[i - 1] === "") continue;
    const info = await Deno.stat(prefix).catch(() => undefined);
    if (!info) break;
    if (!info.isDirectory) return prefix;
  }
  return dirname(path);
}

function notAFolder(e: unknown): boolean {
  return e instanceof Deno.errors.NotADirectory || /not a directory/i.test(String(e));
}

function cannotWrite(path: string, why: string, hint: string): InputError {
  return new InputError({ message: `cannot write report ${path || "''"}: ${why}`, hint });
}
