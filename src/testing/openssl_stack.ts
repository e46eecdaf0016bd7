/**
 * Shared pieces of the OpenSSL-stack tests (src/tls/openssl): a TCP
 * connection, the legacy OpenSSL config of PEERS.md, weak RSA certificates
 * made with the openssl binary, the engine talking to itself, and a Deno
 * process that leaves its helper behind.
 *
 * @module
 */
import net from "node:net";
import type {
  OpenSslAcceptOptions,
  OpenSslConnectOptions,
  OpenSslEngine,
  OpenSslHandshake,
} from "../tls/openssl/mod.ts";
import { openssl } from "./openssl.ts";

/** What PEERS.md says makes DCMTK speak TLS 1.0: versions and weak suites allowed. */
export const LEGACY_OPENSSL_CONF = `openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
CipherString = DEFAULT:@SECLEVEL=0
`;

/**
 * A connected TCP socket to 127.0.0.1:port (noDelay on).
 *
 * @example
 * ```ts
 * import { tcp } from "./openssl_stack.ts";
 * const socket = await tcp(11112);
 * ```
 */
export function tcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * A self-signed RSA certificate with a key of `bits` (512 works at OpenSSL
 * 3's security level 0), written to `dir/NAME.crt` and `dir/NAME.key`.
 *
 * @example
 * ```ts
 * import { weakRsaCertificate } from "./openssl_stack.ts";
 * const { cert, key } = await weakRsaCertificate(await Deno.makeTempDir(), "client-512", 512);
 * ```
 */
export async function weakRsaCertificate(
  dir: string,
  name: string,
  bits: number,
): Promise<{ cert: string; key: string }> {
  const cert = `${dir}/${name}.crt`;
  const key = `${dir}/${name}.key`;
  const made = await openssl(
    "req",
    "-x509",
    "-newkey",
    `rsa:${bits}`,
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    `/CN=${name}`,
    "-days",
    "30",
  );
  if (made.code !== 0) throw new Error(`openssl req failed: ${made.out}`);
  return { cert, key };
}

/** Both ends of one TLS conversation through the engine, and how to close them. */
export interface EnginePair {
  server: OpenSslHandshake;
  client: OpenSslHandshake;
  close(): Promise<void>;
}

/**
 * Our engine as server and as client of itself over one loopback TCP
 * connection, with the options of each role.
 *
 * @example
 * ```ts
 * import { enginePair } from "./openssl_stack.ts";
 * declare const engine: import("../tls/openssl/mod.ts").OpenSslEngine;
 * declare const cert: string, key: string;
 * const { server, client, close } = await enginePair(engine, { cert, key }, {});
 * console.log(server.protocol, client.cipher.standardName);
 * await close();
 * ```
 */
export async function enginePair(
  engine: OpenSslEngine,
  server: Omit<OpenSslAcceptOptions, "ciphertext">,
  client: Omit<OpenSslConnectOptions, "ciphertext">,
): Promise<EnginePair> {
  let accepted!: Promise<OpenSslHandshake>;
  const listener = net.createServer((socket) => {
    accepted = engine.accept({ ciphertext: socket, timeoutMs: 10_000, ...server });
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  try {
    const port = (listener.address() as net.AddressInfo).port;
    const connected = await engine.connect({
      ciphertext: await tcp(port),
      timeoutMs: 10_000,
      ...client,
    });
    const served = await accepted;
    return {
      server: served,
      client: connected,
      close: async () => {
        connected.plaintext.destroy();
        served.plaintext.destroy();
        await new Promise((resolve) => listener.close(resolve));
      },
    };
  } catch (e) {
    await new Promise((resolve) => listener.close(resolve));
    throw e;
  }
}

/**
 * Runs a Deno process that starts an OpenSSL engine and exits without
 * closing it; returns the helper's process id (to check that it went too).
 *
 * @example
 * ```ts
 * import { abandonedHelperPid } from "./openssl_stack.ts";
 * const pid = await abandonedHelperPid();
 * ```
 */
export async function abandonedHelperPid(): Promise<number> {
  const module = new URL("../tls/openssl/mod.ts", import.meta.url).href;
  const script = `import { startOpenSsl } from "${module}";
    const engine = await startOpenSsl();
    console.log(engine.pid);
    Deno.exit(0);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const pid = Number(new TextDecoder().decode(out.stdout).trim());
  if (!(pid > 0)) throw new Error(`no helper pid: ${new TextDecoder().decode(out.stderr)}`);
  return pid;
}
