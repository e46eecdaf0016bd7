// A started peer leads its own process group (Deno.Command `detached: true`
// makes the child's PID its process group ID, measured on Linux), so that a
// wrapper (`sh -c "storescp PORT; true"`) and everything it starts are
// signalled together.

/** Sends `signal` to every process of the group `pgid`; false when none is left. */
export function signalGroup(pgid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/**
 * Whether a live (not zombie) process of group `pgid` remains, from
 * /proc/PID/stat. Where /proc cannot be read, whether the group can still be
 * signalled at all.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`).catch(() => "");
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
    }
    return false;
  } catch {
    return signalGroup(pgid, "SIGCONT");
  }
}

/** Resolves after `ms`. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
