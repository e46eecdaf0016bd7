/**
 * Shared pieces of the OpenSSL-stack tests: a C-ECHO over a plaintext
 * Duplex, a TCP connection, the legacy OpenSSL config of PEERS.md, weak
 * certificates made with the openssl binary, and the engine talking to itself.
 */
import net from "node:net";
import type { Duplex } from "node:stream";
import { cEcho } from "../src/dimse/mod.ts";
import type {
  OpenSslAcceptOptions,
  OpenSslConnectOptions,
  OpenSslEngine,
  OpenSslHandshake,
} from "../src/tls/openssl/mod.ts";
import {
  IMPLICIT_VR_LITTLE_ENDIAN,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../src/ul/mod.ts";

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
 * Associates (Verification, implicit VR little endian), sends one C-ECHO and
 * releases, over an established TLS plaintext side; returns the status name.
 *
 * @example
 * ```ts
 * declare const plaintext: import("node:stream").Duplex;
 * await echoOver(plaintext, "STORESCP"); // "Success"
 * ```
 */
export async function echoOver(plaintext: Duplex, calledAe = "STORESCP"): Promise<string> {
  const association = await requestAssociation({
    socket: plaintext,
    callingAe: "DICOMTLS",
    calledAe,
    presentationContexts: [{
      abstractSyntax: VERIFICATION_SOP_CLASS,
      transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
    }],
    timeoutMs: 5000,
  });
  const status = await cEcho(association, { timeoutMs: 5000 });
  await association.release({ timeoutMs: 5000 });
  return status.name;
}

/**
 * A connected TCP socket to 127.0.0.1:port (noDelay on).
 *
 * @example
 * ```ts
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
 * Runs a command to completion; throws with its output when it fails.
 *
 * @example
 * ```ts
 * await run(["openssl", "version"]);
 * ```
 */
export async function run(command: string[], env?: Record<string, string>): Promise<string> {
  const out = await new Deno.Command(command[0], { args: command.slice(1), env }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${command.join(" ")} failed: ${text}`);
  return text;
}

/**
 * A self-signed RSA certificate with a key of `bits` (512 works at OpenSSL
 * 3's security level 0), written to `dir/NAME.crt` and `dir/NAME.key`.
 *
 * @example
 * ```ts
 * const { cert, key } = await weakRsaCertificate("/tmp/x", "client-512", 512);
 * ```
 */
export async function weakRsaCertificate(
  dir: string,
  name: string,
  bits: number,
): Promise<{ cert: string; key: string }> {
  const cert = `${dir}/${name}.crt`;
  const key = `${dir}/${name}.key`;
  await run([
    "openssl",
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
  ]);
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
 * declare const engine: import("../src/tls/openssl/mod.ts").OpenSslEngine;
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
