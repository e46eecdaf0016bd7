/** `dicomtls` as a subprocess for benches, with its peak RSS sampled from /proc. */
const MOD = new URL("../mod.ts", import.meta.url).pathname;

/** What {@linkcode dicomtls} saw: exit code, stdout and stderr, peak RSS (VmHWM) in kB. */
export interface Measured {
  code: number;
  out: string;
  peakKb: number;
}

/**
 * `dicomtls ARGS...` as a subprocess; its VmHWM is sampled from
 * /proc/PID/status every `sampleMs` (default 20) while it runs.
 *
 * @example
 * ```ts
 * const { code, peakKb } = await dicomtls(["validate", "scenarios/demo"]);
 * ```
 */
export async function dicomtls(
  args: string[],
  options: { sampleMs?: number } = {},
): Promise<Measured> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peakKb = 0;
  let running = true;
  const sample = (async () => {
    while (running) {
      try {
        const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, hwm);
      } catch { /* exited between samples */ }
      await new Promise((r) => setTimeout(r, options.sampleMs ?? 20));
    }
  })();
  const output = await child.output();
  running = false;
  await sample;
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  return { code: output.code, out: text, peakKb };
}

/**
 * The `peers.sut` of a suite whose SUT is the reference AE started in the
 * runner's own process (`start: reference`, a free port), verifying clients by
 * chain with mutual authentication, its certificate from the suite's PKI.
 *
 * @example
 * ```ts
 * const yaml = `peers:\n${inProcessReferenceAe("DICOMTLS")}\n`;
 * ```
 */
export function inProcessReferenceAe(ae: string): string {
  return [
    "  sut:",
    "    role: scp",
    `    ae: ${ae}`,
    "    host: 127.0.0.1",
    "    port: 0",
    "    start:",
    "      reference:",
    `        ae: ${ae}`,
    "        security:",
    "          cert: ${pki.server.chain}",
    "          key: ${pki.server.key}",
    "          verify: chain",
    '          ca: ["${pki.root.crt}"]',
    "          mutual: true",
  ].join("\n");
}
