import { basename, dirname, join } from "node:path";
import { holdSignals, type SignalHold } from "../process/mod.ts";
import { classifyTarget, type ReportTarget } from "./targets.ts";

/** What a report holds: a string, bytes, or chunks (so that a large report need not be one string). */
export type ReportContent = string | Uint8Array | Iterable<string>;

/** One report of a set: where it goes and how to make it (called when its turn comes). */
export interface ReportFile {
  /** A file path, or `-` for stdout. */
  path: string;
  /** Makes the report, called when its turn comes (one report's text in memory at a time). */
  content: () => ReportContent;
}

/** Options of {@linkcode writeReportSet}. */
export interface WriteReportSetOptions {
  /** Where `-` goes; default `Deno.stdout`. */
  stdout?: { write(bytes: Uint8Array): Promise<number> };
  /** Called before each report is made, e.g. to let the previous one's text be freed. */
  beforeEach?: () => void;
  /** Called after each chunk of a report is written, e.g. to let the chunks written be freed. */
  afterChunk?: () => void;
}

/** A report that could not be written; what was at its path (and the rest of the set) is unchanged. */
export class ReportWriteError extends Error {
  /** "ReportWriteError". */
  override name = "ReportWriteError";
}

interface Staged {
  target: ReportTarget;
  tmp: string;
}

/**
 * Writes a set of reports so that an interrupt or a failure leaves either
 * the previous set or the new one, never a mix and never a temporary file.
 * Each report is first written in full to a temporary file (beside its path,
 * or in $TMPDIR for `-` and links) while SIGINT/SIGTERM are held; then the
 * files are renamed over their paths together, as late as possible; then
 * `-` is copied to stdout and a symbolic link (e.g. `/dev/stdout`) is opened
 * and written through, never replaced. A signal during the first phase
 * abandons the set (temporary files removed); one during the renames waits
 * for them; either then takes its usual effect. A path that is a folder or a
 * device is refused. Parent folders are created. Returns where each report
 * went (`stdout` for `-` and the other names of stdout, such as `/dev/stdout`).
 *
 * @example
 * ```ts
 * import { writeReportSet } from "./write.ts";
 * import { renderJunit } from "./junit.ts";
 * import { renderJson } from "./json.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReportSet([
 *   { path: "reports/junit.xml", content: () => renderJunit(run) },
 *   { path: "-", content: () => renderJson(run) },
 * ]);
 * ```
 */
export async function writeReportSet(
  files: ReportFile[],
  options: WriteReportSetOptions = {},
): Promise<ReportTarget[]> {
  const hold = holdSignals();
  const staged: Staged[] = [];
  let current = files[0]?.path ?? "";
  try {
    for (const file of files) {
      current = file.path;
      const target = await classifyTarget(file.path);
      if ("refused" in target) throw new Error(target.refused);
      options.beforeEach?.();
      staged.push({ target, tmp: await temporaryFile(target) });
      await writeChunks(staged[staged.length - 1].tmp, file.content(), {
        hold,
        afterChunk: options.afterChunk,
      });
    }
    interrupted(hold);
    for (const s of staged.filter((s) => s.target.kind === "file")) {
      current = s.target.path;
      await Deno.rename(s.tmp, s.target.path);
      s.tmp = "";
    }
    for (const s of staged.filter((s) => s.target.kind !== "file")) {
      current = s.target.path;
      await copyOut(s, { hold, stdout: options.stdout ?? Deno.stdout });
    }
    return staged.map((s) => s.target);
  } catch (e) {
    throw new ReportWriteError(
      `cannot write report ${current}: ${
        e instanceof Error ? e.message : e
      } (existing file left unchanged)`,
      { cause: e },
    );
  } finally {
    for (const s of staged) if (s.tmp) await Deno.remove(s.tmp).catch(() => {});
    hold.release();
  }
}

/**
 * Writes one report atomically: {@linkcode writeReportSet} of one file.
 *
 * @example
 * ```ts
 * await writeReport("reports/demo/junit.xml", "<testsuites/>\n");
 * ```
 */
export async function writeReport(path: string, content: ReportContent): Promise<void> {
  await writeReportSet([{ path, content: () => content }]);
}

function interrupted(hold: SignalHold) {
  if (hold.received.length) throw new Error(`interrupted by ${hold.received[0]}`);
}

async function temporaryFile(target: ReportTarget): Promise<string> {
  if (target.kind !== "file") return await Deno.makeTempFile({ prefix: ".dicomtls-report-" });
  const dir = dirname(target.path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(target.path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  (await Deno.open(tmp, { write: true, createNew: true })).close();
  return tmp;
}

async function writeChunks(
  path: string,
  content: ReportContent,
  o: { hold: SignalHold; afterChunk?: () => void },
) {
  const file = await Deno.open(path, { write: true, truncate: true });
  try {
    const chunks = typeof content === "string" || content instanceof Uint8Array
      ? [content]
      : content;
    const encoder = new TextEncoder();
    for (const chunk of chunks) {
      interrupted(o.hold);
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
      o.afterChunk?.();
    }
    await file.sync();
  } finally {
    file.close();
  }
}

// A staged report to stdout or through a link, chunk by chunk, stopping at a signal.
async function copyOut(
  s: Staged,
  options: { hold: SignalHold; stdout: { write(bytes: Uint8Array): Promise<number> } },
) {
  interrupted(options.hold);
  let out = options.stdout;
  let through: Deno.FsFile | undefined;
  if (s.target.kind === "through") {
    // A link to a regular file gets the report alone; a pipe or terminal is not truncated.
    const regular = (await Deno.stat(s.target.path)).isFile;
    through = await Deno.open(s.target.path, { write: true, truncate: regular });
    out = through;
  }
  try {
    const source = await Deno.open(s.tmp, { read: true });
    try {
      const buffer = new Uint8Array(64 * 1024);
      for (let n = await source.read(buffer); n !== null; n = await source.read(buffer)) {
        interrupted(options.hold);
        const bytes = buffer.subarray(0, n);
        for (let off = 0; off < bytes.length;) off += await out.write(bytes.subarray(off));
      }
    } finally {
      source.close();
    }
  } finally {
    through?.close();
  }
}
