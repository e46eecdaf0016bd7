/**
 * Real peers for tests: find the tool, or skip loudly (fail when
 * DICOMTLS_REQUIRE_PEERS=1, as CI sets), and start DCMTK/Orthanc on a free
 * loopback port with TCP_NODELAY=1.
 *
 * @module
 */
import { freePort, type RunningProcess, startProcess } from "../process/mod.ts";

const required = Deno.env.get("DICOMTLS_REQUIRE_PEERS") === "1";
const found = new Map<string, boolean>();

function onPath(tool: string): boolean {
  if (!found.has(tool)) {
    const dirs = (Deno.env.get("PATH") ?? "").split(":");
    found.set(
      tool,
      dirs.some((d) => {
        try {
          return Deno.statSync(`${d}/${tool}`).isFile;
        } catch {
          return false;
        }
      }),
    );
  }
  return found.get(tool)!;
}

/**
 * Whether `tool` (from Debian package `aptPackage`) is installed. When it is
 * not: prints a loud SKIP line and returns false, or throws when
 * DICOMTLS_REQUIRE_PEERS=1.
 *
 * Use as `Deno.test({ name, ignore: !havePeer("storescp", "dcmtk"), fn })`.
 *
 * @example
 * ```ts
 * import { havePeer } from "./peers.ts";
 * Deno.test({ name: "storescp answers", ignore: !havePeer("storescp", "dcmtk"), fn() {} });
 * ```
 */
export function havePeer(tool: string, aptPackage: string): boolean {
  if (onPath(tool)) return true;
  const message =
    `${tool} not found: install it with 'apt-get install -y ${aptPackage}' to run the tests that need it`;
  if (required) throw new Error(`DICOMTLS_REQUIRE_PEERS=1 and ${message}`);
  console.error(`\n!!! SKIPPED: ${message}\n`);
  return false;
}

/**
 * Environment for every DCMTK/Orthanc process: without TCP_NODELAY each association stalls ~90 ms.
 *
 * @example
 * ```ts
 * import { PEER_ENV } from "./peers.ts";
 * new Deno.Command("echoscu", { args: ["--version"], env: PEER_ENV });
 * ```
 */
export const PEER_ENV: Record<string, string> = { TCP_NODELAY: "1" };

/** Options of {@linkcode startStorescp}. */
export interface StorescpOptions {
  /** Server certificate and key (PEM files). */
  cert: string;
  key: string;
  /** Trusted CA certificates for client certificates (`+cf`). */
  trust?: string[];
  /** Extra flags, e.g. `["-ic"]` (ignore client certificates) or `["+px"]`. */
  flags?: string[];
  aet?: string;
  /** Output folder for received files; default a temporary folder, removed by `stop()`. */
  outDir?: string;
  env?: Record<string, string>;
  /** The port; default a free one from the kernel's ephemeral range. */
  port?: number;
}

/** A running storescp: its port and the process. */
export interface Storescp extends RunningProcess {
  port: number;
  outDir: string;
}

/**
 * Starts DCMTK storescp with TLS on a free port and waits until it listens.
 *
 * @example
 * ```ts
 * import { startStorescp } from "./peers.ts";
 * const scp = await startStorescp({ cert: "server.crt", key: "server.key", trust: ["root.crt"] });
 * // ... connect to 127.0.0.1:scp.port ...
 * await scp.stop();
 * ```
 */
export async function startStorescp(options: StorescpOptions): Promise<Storescp> {
  const port = options.port ?? freePort();
  const outDir = options.outDir ?? await Deno.makeTempDir({ prefix: "dicomtls-storescp-" });
  const command = [
    "storescp",
    "+tls",
    options.key,
    options.cert,
    ...(options.trust ?? []).flatMap((ca) => ["+cf", ca]),
    ...(options.flags ?? []),
    "-aet",
    options.aet ?? "STORESCP",
    "-od",
    outDir,
    String(port),
  ];
  // A folder made here goes with the process: each start left an empty one in TMPDIR.
  const made = options.outDir === undefined;
  const remove = () => made ? Deno.remove(outDir, { recursive: true }).catch(() => {}) : undefined;
  const proc = await startProcess({
    command,
    env: { ...PEER_ENV, ...options.env },
    ready: { port, timeoutMs: 10_000 },
  }).catch(async (e) => {
    await remove();
    throw e;
  });
  const stop = async (o?: { graceMs?: number }) => {
    await proc.stop(o);
    await remove();
  };
  return { ...proc, stop, port, outDir };
}

/** Options of {@linkcode startOrthanc}. */
export interface OrthancOptions {
  cert: string;
  key: string;
  /** One PEM file of trusted CA certificates. */
  trust: string;
  aet?: string;
  /** DicomTlsRemoteCertificateRequired; default true. */
  requireClientCertificate?: boolean;
  /** DicomCheckCalledAet; default true. */
  checkCalledAet?: boolean;
  /** Known remote modalities by name; calls from other AE titles are refused (DicomAlwaysAllowEcho false). */
  modalities?: Record<string, { aet: string; host?: string; port: number }>;
}

/** A running Orthanc: its DICOM and HTTP ports and the process. */
export interface Orthanc extends RunningProcess {
  port: number;
  httpPort: number;
  dir: string;
}

/**
 * Starts Orthanc with DICOM TLS on free loopback ports, its own storage in a
 * temporary folder, and waits until the DICOM port accepts.
 *
 * @example
 * ```ts
 * import { startOrthanc } from "./peers.ts";
 * const pacs = await startOrthanc({ cert: "server.crt", key: "server.key", trust: "root.crt" });
 * await pacs.stop();
 * ```
 */
export async function startOrthanc(options: OrthancOptions): Promise<Orthanc> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-orthanc-" });
  const port = freePort();
  const httpPort = freePort();
  const modalities = Object.fromEntries(
    Object.entries(options.modalities ?? {}).map(([name, m]) => [
      name,
      { AET: m.aet, Host: m.host ?? "127.0.0.1", Port: m.port, UseDicomTls: true },
    ]),
  );
  const config = {
    Name: "dicomtls-test",
    StorageDirectory: `${dir}/db`,
    IndexDirectory: `${dir}/db`,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomAet: options.aet ?? "ORTHANC",
    DicomPort: port,
    DicomTlsEnabled: true,
    DicomTlsCertificate: options.cert,
    DicomTlsPrivateKey: options.key,
    DicomTlsTrustedCertificates: options.trust,
    DicomTlsRemoteCertificateRequired: options.requireClientCertificate ?? true,
    DicomCheckCalledAet: options.checkCalledAet ?? true,
    DicomAlwaysAllowEcho: false,
    DicomModalities: modalities,
    Plugins: [],
  };
  await Deno.writeTextFile(`${dir}/orthanc.json`, JSON.stringify(config, null, 2));
  const proc = await startProcess({
    command: ["Orthanc", `${dir}/orthanc.json`],
    env: PEER_ENV,
    ready: { port, timeoutMs: 15_000 },
  });
  return {
    ...proc,
    port,
    httpPort,
    dir,
    async stop() {
      // Orthanc takes ~3.5 s to stop on SIGTERM; its storage is throw-away.
      await proc.stop({ graceMs: 200 });
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Options of {@linkcode echoscuCommand}. */
export interface EchoscuOptions {
  /** Our private key and certificate (PEM files). */
  key: string;
  cert: string;
  /** The CA certificate the SCP's chain must end at (`+cf`). */
  ca: string;
  /** The SCP's AE title (`-aec`). */
  calledAe: string;
  /** The SCP's port on 127.0.0.1. */
  port: number;
  /** `-v`: prints "Received Echo Response (Success)", the one sign of success (echoscu can exit 0 after a failed echo). */
  verbose?: boolean;
}

/**
 * The `echoscu +tls` command line of one secure C-ECHO to 127.0.0.1, for
 * benches and tests that compare with DCMTK (run it with {@linkcode PEER_ENV}).
 *
 * @example
 * ```ts
 * import { echoscuCommand, PEER_ENV } from "./peers.ts";
 * const [program, ...args] = echoscuCommand({
 *   key: "client.key", cert: "client.crt", ca: "root.crt", calledAe: "STORESCP", port: 11112,
 * });
 * await new Deno.Command(program, { args, env: PEER_ENV }).output();
 * ```
 */
export function echoscuCommand(options: EchoscuOptions): string[] {
  return [
    "echoscu",
    ...(options.verbose ? ["-v"] : []),
    "+tls",
    options.key,
    options.cert,
    "+cf",
    options.ca,
    "-aec",
    options.calledAe,
    "127.0.0.1",
    String(options.port),
  ];
}
