import { basename, dirname, join } from "node:path";

/**
 * Writes a report atomically: the content goes to a temporary file in the
 * same folder, which is then renamed over `path` (parent folders are
 * created). If anything fails the temporary file is removed and an existing
 * report at `path` is left as it was. `content` may be an iterable of chunks,
 * so that a large report need not be one string.
 *
 * @example
 * ```ts
 * import { writeReport } from "./write.ts";
 * import { renderJunit } from "./junit.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/demo/junit.xml", renderJunit(run));
 * ```
 */
export async function writeReport(
  path: string,
  content: string | Uint8Array | Iterable<string>,
): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      const chunks = typeof content === "string" || content instanceof Uint8Array
        ? [content]
        : content;
      const encoder = new TextEncoder();
      for (const chunk of chunks) {
        const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
        for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
      }
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw new Error(
      `Cannot write report ${path}: ${
        e instanceof Error ? e.message : e
      } (existing file left unchanged)`,
      { cause: e },
    );
  }
}
