/**
 * startProcess() puts the peer in a process group of its own and stop() ends
 * the whole group: a wrapper shell and its children, a process that ignores
 * SIGTERM (SIGKILL after the grace period), and it never waits on output
 * pipes held by an orphan that escaped the group.
 */
import assert from "node:assert/strict";
import { freePort, startProcess } from "../src/process/mod.ts";

/** Live (not zombie) members of process group `pgid`, from /proc. */
function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") pids.push(Number(e.name));
    } catch { /* ended meanwhile */ }
  }
  return pids;
}

/** PIDs whose command line is exactly `argv` (joined by spaces). */
function pidsOf(argv: string): number[] {
  const pids: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0").join(" ").trim();
      if (cmd === argv) pids.push(Number(e.name));
    } catch { /* ended meanwhile */ }
  }
  return pids;
}

const ready = { log: /^started/m, timeoutMs: 5000 };

Deno.test("stop() ends a wrapper shell and every child it started", async () => {
  const sh = await startProcess({
    command: ["/bin/sh", "-c", "sleep 60 & sleep 60 & echo started; wait"],
    ready,
  });
  assert.equal(groupMembers(sh.pid).length, 3, "sh and two sleeps in the group");
  const began = performance.now();
  await sh.stop();
  assert.ok(performance.now() - began < 2000);
  assert.deepEqual(groupMembers(sh.pid), []);
});

Deno.test("stop() kills a group that ignores SIGTERM after the grace period", async () => {
  const stubborn = await startProcess({
    command: ["/bin/sh", "-c", "trap '' TERM; echo started; sleep 60; sleep 60"],
    ready,
  });
  const began = performance.now();
  await stubborn.stop({ graceMs: 300 });
  const took = performance.now() - began;
  assert.ok(took >= 290 && took < 2500, `${Math.round(took)} ms`);
  assert.deepEqual(groupMembers(stubborn.pid), []);
});

Deno.test("stop() does not wait on output pipes that an orphan outside the group holds", async () => {
  const orphan = "sleep 61.5";
  const sh = await startProcess({
    command: ["/bin/sh", "-c", `setsid ${orphan} & echo started; exec sleep 62`],
    ready,
  });
  try {
    // "started" can be printed before the background child has called setsid
    // and exec'd sleep; stopped before that, it dies with the group (seen in CI).
    for (let i = 0; i < 200 && pidsOf(orphan).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(pidsOf(orphan).length, 1, "the orphan is out of the group before stop()");
    const began = performance.now();
    await sh.stop();
    assert.ok(performance.now() - began < 2500, `${Math.round(performance.now() - began)} ms`);
    assert.equal(typeof await sh.exited, "number");
    assert.equal(pidsOf(orphan).length, 1, "the orphan escaped the group, as set up");
  } finally {
    for (const pid of pidsOf(orphan)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("an aborted start stops the process at once and says so", async () => {
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 300);
  const began = performance.now();
  await assert.rejects(
    () =>
      startProcess({
        command: ["/bin/sh", "-c", "sleep 60"],
        // A free port, not port 1: a root user's `serve --port 1` made this start "ready" in CI.
        ready: { port: freePort(), timeoutMs: 60_000 },
        signal: stop.signal,
      }),
    /did not become ready: the start was interrupted/,
  );
  assert.ok(performance.now() - began < 1500, `${Math.round(performance.now() - began)} ms`);
});
