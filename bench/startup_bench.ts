/**
 * Start-up, whole process, in one run: `dicomtls echo` (mutual TLS, chain
 * verification, one C-ECHO) against `echoscu +tls` with the same certificates
 * and the same storescp (TCP_NODELAY=1), and `dicomtls --help` against an
 * empty Deno script run from the same folder (both pay Deno's own start and
 * the project's config; the script runs without the lockfile, which it would
 * prune). The program runs
 * as `deno task dicomtls` runs it (`deno run -A --lock=deno.lock
 * src/cli/main.ts`). Rounds alternate between the two sides; medians are
 * compared. Targets: echo at most 3x echoscu's wall time, --help at most 2x
 * the empty script. Prints PASS/MISS; a MISS does not fail the run (timings
 * depend on the machine's load). It also prints, against the same echoscu,
 * the floor any Deno program speaking TLS starts from (`_tls_floor.ts`: load
 * `node:net` and `node:tls`, one handshake with the same client certificate,
 * nothing of ours): what is left of the echo target beyond it.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePki } from "../src/pki/mod.ts";
import { echoscuCommand, havePeer, PEER_ENV, startStorescp } from "../src/testing/peers.ts";

if (!havePeer("storescp", "dcmtk") || !havePeer("echoscu", "dcmtk")) Deno.exit(0);

const ROUNDS = Number(Deno.env.get("STARTUP_ROUNDS") ?? 15);
const root = fileURLToPath(new URL("..", import.meta.url));
// The program as `deno task dicomtls` runs it, but --frozen: the bench must never rewrite deno.lock.
const deno = (
  args: string[],
) => [Deno.execPath(), "run", "-A", "--lock=deno.lock", "--frozen", ...args];
// An empty script with the project's lockfile would prune it to nothing: it runs without one.
const bare = (args: string[]) => [Deno.execPath(), "run", "-A", "--no-lock", ...args];

const dir = await Deno.makeTempDir({ prefix: "dicomtls-startup-bench-" });
const pki = await generatePki({ spec: join(root, "fixtures/pki/standard.yaml"), out: dir });
const file = (name: string, kind: "crt" | "key" | "chain") =>
  join(pki.dir, pki.manifest.entries.find((e) => e.name === name)!.files[kind]!);
const empty = join(dir, "empty.ts");
await Deno.writeTextFile(empty, "");
const scp = await startStorescp({
  cert: file("server", "chain"),
  key: file("server", "key"),
  trust: [file("root", "crt")],
});

const echoscu = echoscuCommand({
  key: file("client", "key"),
  cert: file("client", "crt"),
  ca: file("root", "crt"),
  calledAe: "STORESCP",
  port: scp.port,
  verbose: true, // to tell success: echoscu can exit 0 after a failed echo
});
const echo = deno([
  "src/cli/main.ts",
  "echo",
  `127.0.0.1:${scp.port}`,
  "--called",
  "STORESCP",
  "--cert",
  file("client", "crt"),
  "--key",
  file("client", "key"),
  "--ca",
  file("root", "crt"),
]);

const floor = bare([
  join(root, "bench/_tls_floor.ts"),
  String(scp.port),
  file("client", "crt"),
  file("client", "key"),
]);

// One whole process: wall time in ms; it must succeed.
async function wall(command: string[], ok: (out: string) => boolean): Promise<number> {
  const began = performance.now();
  const r = await new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: root,
    env: { ...PEER_ENV, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - began;
  const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  if (r.code !== 0 || !ok(out)) throw new Error(`${command.join(" ")} failed:\n${out}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(o: {
  label: string;
  ours: string[];
  theirs: string[];
  theirsLabel: string;
  /** Without a target: printed for comparison only. */
  target?: number;
  ok: [(out: string) => boolean, (out: string) => boolean];
}) {
  const a: number[] = [];
  const b: number[] = [];
  // One warm-up each: the first run compiles and caches.
  await wall(o.ours, o.ok[0]);
  await wall(o.theirs, o.ok[1]);
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await wall(o.ours, o.ok[0]));
    b.push(await wall(o.theirs, o.ok[1]));
  }
  const [ours, theirs] = [median(a), median(b)];
  const ratio = ours / theirs;
  const verdict = o.target === undefined
    ? "(the floor, no target)"
    : `(target <= ${o.target}x) ${ratio <= o.target ? "PASS" : "MISS"}`;
  console.log(
    `${o.label.padEnd(18)} ${(ours / 1000).toFixed(3)} s vs ${o.theirsLabel} ${
      (theirs / 1000).toFixed(3)
    } s: ${ratio.toFixed(1)}x ${verdict}`,
  );
}

try {
  console.log(`startup, whole process, median of ${ROUNDS} alternating rounds`);
  await compare({
    label: "dicomtls echo",
    ours: echo,
    theirs: echoscu,
    theirsLabel: "echoscu +tls",
    target: 3,
    ok: [(out) => /C-ECHO\s+Success/.test(out), (out) => out.includes("Echo Response (Success)")],
  });
  await compare({
    label: "a TLS handshake",
    ours: floor,
    theirs: echoscu,
    theirsLabel: "echoscu +tls",
    ok: [(out) => out.includes("secure"), (out) => out.includes("Echo Response (Success)")],
  });
  await compare({
    label: "dicomtls --help",
    ours: deno(["src/cli/main.ts", "--help"]),
    theirs: bare([empty]),
    theirsLabel: "an empty script",
    target: 2,
    ok: [(out) => out.includes("usage: dicomtls"), () => true],
  });
} finally {
  await scp.stop();
  await Deno.remove(dir, { recursive: true });
}
