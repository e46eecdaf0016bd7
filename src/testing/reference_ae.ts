/**
 * The reference AE in-process for tests, on a free loopback port, with the
 * standard test PKI, and DCMTK clients against it.
 *
 * @module
 */
import { type AeSettings, resolveAeConfig } from "../reference_ae/config.ts";
import type { AssociationLog } from "../reference_ae/association_log.ts";
import { type ReferenceAe, startReferenceAe } from "../reference_ae/server.ts";
import { type RunningProcess, startProcess } from "../process/mod.ts";
import { connectTls, loadCredentials } from "../tls/mod.ts";
import {
  type Association,
  IMPLICIT_VR_LITTLE_ENDIAN,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import { dicomtlsCommand } from "./cli.ts";
import { PEER_ENV } from "./peers.ts";
import { pkiFile, type PkiResult } from "./pki.ts";
import { waitUntil } from "./wait.ts";

/** A running reference AE and every log entry it wrote so far. */
export interface TestAe extends ReferenceAe {
  logs: AssociationLog[];
}

/**
 * Starts the reference AE in-process on a free port, AE title REFAE, with
 * `server` from the PKI, trusting its root, merged with `settings`.
 *
 * @example
 * ```ts
 * import { startTestAe } from "./reference_ae.ts";
 * import { testPki } from "./pki.ts";
 * const ae = await startTestAe(await testPki(), { acceptCalling: ["ECHOSCU"] });
 * await ae.close();
 * ```
 */
export async function startTestAe(pki: PkiResult, settings: AeSettings = {}): Promise<TestAe> {
  const logs: AssociationLog[] = [];
  const config = resolveAeConfig({
    ae: "REFAE",
    port: 0,
    security: {
      certificate: {
        kind: "pem",
        cert: pkiFile(pki, "server", "chain"),
        key: pkiFile(pki, "server", "key"),
      },
      ca: [pkiFile(pki, "root", "crt")],
    },
  }, settings);
  const ae = await startReferenceAe({ config, onLog: (e) => logs.push(e) });
  return Object.assign(ae, { logs });
}

/**
 * Runs a DCMTK tool (TCP_NODELAY=1) and returns its exit code and combined output.
 *
 * @example
 * ```ts
 * import { runDcmtk } from "./reference_ae.ts";
 * const { code, output } = await runDcmtk("echoscu", ["--version"]);
 * ```
 */
export async function runDcmtk(
  tool: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(tool, {
    args,
    env: { ...PEER_ENV, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code, output: d.decode(stdout) + d.decode(stderr) };
}

/**
 * echoscu +tls arguments: with `client` from the PKI (or `+tla`-style no certificate when undefined).
 *
 * @example
 * ```ts
 * import { echoscuArgs, runDcmtk, startTestAe } from "./reference_ae.ts";
 * import { testPki } from "./pki.ts";
 * const pki = await testPki();
 * const ae = await startTestAe(pki);
 * await runDcmtk("echoscu", echoscuArgs(pki, ae, "client-expired"));
 * ```
 */
export function echoscuArgs(
  pki: PkiResult,
  ae: Pick<ReferenceAe, "port">,
  client: string | undefined,
  called = "REFAE",
): string[] {
  const tls = client === undefined
    ? ["+tla"]
    : ["+tls", pkiFile(pki, client, "key"), pkiFile(pki, client, "crt")];
  return [
    "-v",
    ...tls,
    "+cf",
    pkiFile(pki, "root", "crt"),
    "-aet",
    "ECHOSCU",
    "-aec",
    called,
    "127.0.0.1",
    String(ae.port),
  ];
}

/**
 * Waits until the AE logged `count` entries (its log comes when a connection has fully ended).
 *
 * @example
 * ```ts
 * import { type TestAe, waitForLogs } from "./reference_ae.ts";
 * declare const ae: TestAe;
 * await waitForLogs(ae, 1);
 * ae.logs[0].result; // "accepted"
 * ```
 */
export async function waitForLogs(ae: TestAe, count: number, timeoutMs = 5000): Promise<void> {
  await waitUntil(() => ae.logs.length >= count, timeoutMs);
}

/**
 * Starts `dicomtls serve` as a child process on a free port with `server`
 * from the PKI (chain) and its root as trust anchor unless `args` give
 * `--cert`/`--ca`, AE title REFAE, plus `args`; resolves once it printed `listening on HOST:PORT`. With
 * `fileLimit` it runs under `sh -c "ulimit -n N; exec ..."` (same PID).
 *
 * @example
 * ```ts
 * import { startServeProcess } from "./reference_ae.ts";
 * import { testPki } from "./pki.ts";
 * const serve = await startServeProcess(await testPki(), ["--verify", "none"]);
 * await serve.stop();
 * ```
 */
export async function startServeProcess(
  pki: PkiResult,
  args: string[] = [],
  options: { fileLimit?: number } = {},
): Promise<RunningProcess & { port: number }> {
  const limited = (command: string[]) =>
    options.fileLimit === undefined
      ? command
      : ["sh", "-c", `ulimit -n ${options.fileLimit} && exec "$@"`, "sh", ...command];
  const proc = await startProcess({
    command: limited(dicomtlsCommand([
      "serve",
      "--port",
      "0",
      "--ae",
      "REFAE",
      // The defaults only where `args` gives none: an option given twice is an error.
      ...(args.includes("--cert") ? [] : [
        "--cert",
        pkiFile(pki, "server", "chain"),
        "--key",
        pkiFile(pki, "server", "key"),
      ]),
      ...(args.includes("--ca") ? [] : ["--ca", pkiFile(pki, "root", "crt")]),
      ...args,
    ])),
    ready: { log: /listening on \S+:\d+/, timeoutMs: 30_000 },
  });
  return { ...proc, port: Number(/listening on \S+:(\d+)/.exec(proc.log())![1]) };
}

/**
 * Opens a Verification association to the AE at `port` as `callingAe` with
 * `client` from the PKI and keeps it open; `close()` drops the connection.
 *
 * @example
 * ```ts
 * import { holdAssociation } from "./reference_ae.ts";
 * import { testPki } from "./pki.ts";
 * declare const port: number;
 * const held = await holdAssociation(await testPki(), port);
 * held.close();
 * ```
 */
export async function holdAssociation(
  pki: PkiResult,
  port: number,
  callingAe = "HOLDER",
): Promise<{ association: Association; close(): void }> {
  const credentials = await loadCredentials({
    cert: pkiFile(pki, "client", "crt"),
    key: pkiFile(pki, "client", "key"),
  });
  const c = await connectTls({ host: "127.0.0.1", port, credentials, timeoutMs: 5000 });
  if (!c.ok) throw new Error(`TLS to 127.0.0.1:${port} failed at ${c.stage}: ${c.tls?.error}`);
  try {
    const association = await requestAssociation({
      socket: c.socket,
      callingAe,
      calledAe: "REFAE",
      timeoutMs: 5000,
      presentationContexts: [{
        abstractSyntax: VERIFICATION_SOP_CLASS,
        transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
      }],
    });
    return { association, close: () => c.socket.destroy() };
  } catch (e) {
    c.socket.destroy();
    throw e;
  }
}
