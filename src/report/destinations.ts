import { basename, dirname, join, resolve } from "node:path";

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
