/**
 * A SUT started through a wrapper (issue 14): `start.command` is
 * `[/bin/sh, -c, "storescp ... PORT; true"]`, so stopping `sh` alone would
 * orphan storescp, which keeps the output pipes open. The run must end, with
 * reports written and no storescp left, for a normal stop, `--deadline`,
 * SIGINT during a case, and SIGINT during a slow start (within about a second).
 */
import assert from "node:assert/strict";
import { freePort } from "../src/process/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { spawnDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { storescpSuite } from "../src/testing/suites.ts";
const haveStorescp = havePeer("storescp", "dcmtk");
const cache = await Deno.makeTempDir({ prefix: "dicomtls-sut-group-cache-" });
globalThis.addEventListener("unload", () => Deno.removeSync(cache, { recursive: true }));

/** A suite whose SUT is storescp behind `sh -c`; `before` runs in the shell first. */
function suite(port: number, options: { before?: string; sleepDuring?: boolean } = {}): string {
  const storescp = [
    "storescp +tls ${pki.server.key} ${pki.server.chain} +cf ${pki.root.crt} --ignore",
    options.sleepDuring ? "--sleep-during 60" : "",
    `-aet STORESCP ${port}`,
  ].join(" ");
  return storescpSuite({
    name: "storescp behind a shell",
    port,
    command: `[/bin/sh, -c, "${options.before ?? ""}${storescp}; true"]`,
    ready: `{ port: ${port}, timeout: 60s }`,
    cases: [
      { name: "first echo" },
      { name: "second echo" },
      { name: "a store", store: true },
      { name: "an echo after it" },
    ],
  });
}

/** Live (not zombie) processes whose command line mentions `port`, by `pgrep -f`. */
async function processesOn(port: number): Promise<string[]> {
  const { stdout } = await new Deno.Command("pgrep", { args: ["-a", "-f", `\\b${port}\\b`] })
    .output();
  return new TextDecoder().decode(stdout).split("\n").filter((l) => l && !/\bpgrep\b/.test(l));
}

interface Run {
  code: number;
  out: string;
  err: string;
  /** Milliseconds from the signal (or the start) to the end of the process. */
  endedInMs: number;
}

/**
 * `dicomtls run` on the suite as a subprocess; `signalWhen` sends SIGINT a
 * second after stdout matches it, `signalWhenStarting` a second after the
 * SUT's shell runs. Killed (and failed) when it does not end within 60 s: the
 * bug this guards against is a run that never ends.
 */
async function run(
  dir: string,
  options: { args?: string[]; signalWhen?: RegExp; signalWhenStarting?: number },
): Promise<Run> {
  const proc = spawnDicomtls(
    ["run", `${dir}/suite.yaml`, "--reports", `${dir}/reports`, "--pki-cache", cache]
      .concat(options.args ?? []),
  );
  const hang = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const err = new Response(proc.stderr).text();
  let out = "";
  let from = performance.now();
  const signal = () => {
    from = performance.now();
    proc.kill("SIGINT");
  };
  const port = options.signalWhenStarting;
  const starting = port === undefined ? undefined : (async () => {
    while ((await processesOn(port)).length === 0) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    signal();
  })();
  let signalled = false;
  for await (const text of proc.stdout.pipeThrough(new TextDecoderStream())) {
    out += text;
    if (options.signalWhen?.test(out) && !signalled) {
      signalled = true;
      await new Promise((r) => setTimeout(r, 1000)); // into storescp's sleep
      signal();
    }
  }
  const { code, signal: killed } = await proc.status;
  clearTimeout(hang);
  await starting;
  assert.notEqual(killed, "SIGKILL", `the run did not end within 60 s:\n${out}`);
  return { code, out, err: await err, endedInMs: performance.now() - from };
}

async function results(dir: string): Promise<RunResult> {
  for (const name of ["junit.xml", "report.html"]) {
    assert.ok((await Deno.stat(`${dir}/reports/${name}`)).size > 0, `${name} written`);
  }
  return JSON.parse(await Deno.readTextFile(`${dir}/reports/results.json`));
}

const statuses = (r: RunResult) => r.suites.flatMap((s) => s.cases.map((c) => c.status));

function sutTest(name: string, fn: (dir: string, port: number) => Promise<void>) {
  Deno.test({
    name,
    ignore: !haveStorescp,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "dicomtls-sut-group-" });
      const port = freePort();
      try {
        await fn(dir, port);
        assert.deepEqual(await processesOn(port), [], "a process of the SUT is left");
      } finally {
        for (const line of await processesOn(port)) {
          Deno.kill(Number(line.split(" ")[0]), "SIGKILL");
        }
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

sutTest(
  "a run whose SUT is storescp behind sh -c ends normally and stops the whole group",
  async (dir, port) => {
    await Deno.writeTextFile(`${dir}/suite.yaml`, suite(port));
    const r = await run(dir, {});
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.deepEqual(statuses(await results(dir)), ["passed", "passed", "passed", "passed"]);
  },
);

sutTest(
  "--deadline ends a run whose SUT is storescp behind sh -c, reports written, rest interrupted",
  async (dir, port) => {
    await Deno.writeTextFile(`${dir}/suite.yaml`, suite(port, { sleepDuring: true }));
    const r = await run(dir, { args: ["--deadline", "8000"] });
    assert.equal(r.code, 1, `${r.out}\n${r.err}`);
    const result = await results(dir);
    assert.equal(result.interrupted, true);
    assert.deepEqual(statuses(result), ["passed", "passed", "interrupted", "interrupted"]);
  },
);

sutTest(
  "SIGINT during a case ends a run whose SUT is storescp behind sh -c, reports written",
  async (dir, port) => {
    await Deno.writeTextFile(`${dir}/suite.yaml`, suite(port, { sleepDuring: true }));
    const r = await run(dir, { signalWhen: /^PASS .*second echo/m });
    assert.equal(r.code, 1, `${r.out}\n${r.err}`);
    assert.match(r.err, /stopping: finishing reports/);
    assert.ok(r.endedInMs < 10_000, `${Math.round(r.endedInMs)} ms from SIGINT to the end`);
    assert.deepEqual(statuses(await results(dir)), [
      "passed",
      "passed",
      "interrupted",
      "interrupted",
    ]);
  },
);

sutTest(
  "SIGINT during a slow SUT start takes effect within about a second, reports written",
  async (dir, port) => {
    // The shell sleeps before storescp starts: the runner waits for the port meanwhile.
    await Deno.writeTextFile(`${dir}/suite.yaml`, suite(port, { before: "sleep 45; " }));
    const r = await run(dir, { signalWhenStarting: port });
    assert.equal(r.code, 1, `${r.out}\n${r.err}`);
    assert.ok(r.endedInMs < 2500, `${Math.round(r.endedInMs)} ms from SIGINT to the end`);
    const result = await results(dir);
    assert.deepEqual(statuses(result), [
      "interrupted",
      "interrupted",
      "interrupted",
      "interrupted",
    ]);
    assert.match(result.suites[0].cases[0].message ?? "", /stopped while the SUT was starting/);
  },
);
