// @ts-types="npm:@types/node-forge@^1.3.11"
import type forge from "node-forge";
import { Buffer } from "node:buffer";
import net from "node:net";
import type { TcpOutcome, TlsOutcome } from "../outcome/mod.ts";
import { tlsAlert } from "./alerts.ts";
import { certificateInfo } from "./certificate_info.ts";
import type { TlsCredentials } from "./credentials.ts";
import type { TlsVersion } from "./version.ts";

/** A TLS version only the legacy probe offers (rustls has neither). */
export type LegacyTlsVersion = Extract<TlsVersion, "TLSv1" | "TLSv1.1">;

/** Options of {@linkcode probeLegacyTls}. */
export interface LegacyProbeOptions {
  /** The peer's host name or address. */
  host: string;
  /** The peer's port. */
  port: number;
  /** The one version we offer: the ClientHello says exactly this. */
  version: LegacyTlsVersion;
  /** Our client certificate, when the server asks for one; RSA only (node-forge signs with RSA). */
  credentials?: TlsCredentials;
  /** Deadline for TCP connect plus the handshake together. */
  timeoutMs: number;
}

/** What {@linkcode probeLegacyTls} saw: the TCP stage, and the TLS stage once connected. */
export interface LegacyProbeResult {
  /** The TCP stage. */
  tcp: TcpOutcome;
  /** The TLS stage, when TCP connected. */
  tls?: TlsOutcome;
}

// ProtocolVersion of RFC 2246 / 4346 (node-forge's tls.Versions, mistyped in @types).
const FORGE_VERSIONS = {
  "TLSv1": { major: 3, minor: 1 },
  "TLSv1.1": { major: 3, minor: 2 },
};
// node-forge, loaded by the first probe: nothing else needs it.
let lib: typeof forge;

/**
 * Tries a TLS 1.0 or 1.1 handshake with node-forge's pure-JS TLS over a
 * plain TCP socket (noDelay on), offering only TLS_RSA_WITH_AES_128_CBC_SHA
 * and TLS_RSA_WITH_AES_256_CBC_SHA, then closes: whether a peer still
 * accepts a version BCP 195 forbids. Nothing is sent after the handshake.
 *
 * Our verifier is not applied: the peer's certificates (RSA or EC, any
 * signature) are accepted as they are and only reported (`peer`). The
 * result is `established`, `refused-by-peer` with the alert the peer sent
 * (or `closedWithoutAlert`), `timeout` or `error`, always with
 * `legacyProbe`; no `tls` when TCP failed. Never rejects for anything the
 * peer does. Client credentials must be RSA: forge signs only with RSA.
 *
 * @example
 * ```ts
 * import { probeLegacyTls } from "./legacy.ts";
 * const r = await probeLegacyTls({ host: "127.0.0.1", port: 11112, version: "TLSv1", timeoutMs: 5000 });
 * console.log(r.tls?.status, r.tls?.alert?.name); // "refused-by-peer" "protocol_version"
 * ```
 */
export async function probeLegacyTls(options: LegacyProbeOptions): Promise<LegacyProbeResult> {
  // @ts-types="npm:@types/node-forge@^1.3.11"
  lib ??= (await import("node-forge")).default;
  const suites = lib.tls.CipherSuites as unknown as Record<string, forge.tls.CipherSuite>;
  return new Promise((resolve) => {
    const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
    const result: LegacyProbeResult = { tcp: { status: "connected" } };
    const tls: TlsOutcome = {
      status: "error",
      clientCertificate: options.credentials !== undefined,
      legacyProbe: true,
    };
    let connected = false;
    let done = false;
    const finish = (outcome?: Partial<TlsOutcome>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // By reference: the peer certificates are added once forge's processing returns.
      if (connected) result.tls = Object.assign(tls, outcome);
      socket.removeAllListeners("data");
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      if (connected) {
        finish({
          status: "timeout",
          error: `no ${options.version} handshake within ${options.timeoutMs} ms`,
        });
      } else {
        result.tcp = {
          status: "timeout",
          error: `no TCP connection within ${options.timeoutMs} ms`,
        };
        finish();
      }
    }, options.timeoutMs);

    const connection = lib.tls.createConnection({
      server: false,
      cipherSuites: [suites.TLS_RSA_WITH_AES_128_CBC_SHA, suites.TLS_RSA_WITH_AES_256_CBC_SHA],
      ...(options.credentials
        ? {
          getCertificate: () => options.credentials!.cert,
          getPrivateKey: () => options.credentials!.key,
        }
        : {}),
      connected: (c) => {
        const version = c.version.minor === FORGE_VERSIONS.TLSv1.minor ? "TLSv1" : "TLSv1.1";
        const suite = (c.session as unknown as { cipherSuite?: { name: string } }).cipherSuite;
        finish({ status: "established", protocol: version, cipher: suite?.name });
      },
      tlsDataReady: (c) => {
        if (!done) socket.write(Buffer.from(c.tlsData.getBytes(), "binary"));
      },
      dataReady: () => {},
      closed: () => finish(tls.error ? {} : closedWithoutAlert(options.version)),
      error: (_c, e) => {
        const ex = e as { message: string; origin?: string; alert?: { description: number } };
        // origin "server": an alert the peer sent; otherwise forge refused something itself.
        if (ex.origin === "server" && ex.alert) {
          tls.status = "refused-by-peer";
          tls.alert = tlsAlert(ex.alert.description);
        }
        tls.error = `${options.version} handshake: ${ex.message}`;
        finish();
      },
    });
    // forge offers its newest version (TLS 1.1) unless told otherwise before the handshake.
    connection.version = { ...FORGE_VERSIONS[options.version] };

    socket.once("connect", () => {
      connected = true;
      connection.handshake();
    });
    socket.on("data", (d: Buffer) => {
      const peerChain: Uint8Array[] = [];
      try {
        withLenientForge(peerChain, () => connection.process(d.toString("binary")));
      } catch (e) {
        tls.error = `${options.version} handshake: ${(e as Error).message}`;
        finish();
      }
      if (peerChain.length && !tls.peer) describePeer(peerChain, tls);
    });
    socket.once("end", () => finish(closedWithoutAlert(options.version)));
    socket.on("error", (e: Error & { code?: string }) => {
      if (connected) return finish(tls.error ? {} : closedWithoutAlert(options.version, e));
      result.tcp = { status: e.code === "ECONNREFUSED" ? "refused" : "error", error: e.message };
      finish();
    });
  });
}

function closedWithoutAlert(version: LegacyTlsVersion, e?: Error): Partial<TlsOutcome> {
  return {
    status: "refused-by-peer",
    closedWithoutAlert: true,
    error: `the peer closed the connection during the ${version} handshake without a TLS alert${
      e ? ` (${e.message})` : ""
    }`,
  };
}

function describePeer(ders: Uint8Array[], tls: TlsOutcome): void {
  try {
    const chain = ders.map(certificateInfo);
    tls.peer = { ...chain[0], chain };
  } catch {
    // An unparsable peer certificate: reported without `peer`.
  }
}

/**
 * Runs `fn` (forge's synchronous record processing) with forge's certificate
 * handling made lenient, and restores it before returning: forge parses only
 * RSA keys and RSA signatures and would refuse a chain with an ECDSA
 * intermediate before the handshake is done. Here the peer's certificates
 * are kept as DER in `peerChain` (for the report), a non-RSA one becomes a
 * placeholder, and forge's chain check is skipped (this probe does not verify).
 */
function withLenientForge(peerChain: Uint8Array[], fn: () => void): void {
  const { pki } = lib as unknown as {
    pki: {
      certificateFromAsn1: (obj: forge.asn1.Asn1, computeHash?: boolean) => unknown;
      verifyCertificateChain: (...args: unknown[]) => boolean;
    };
  };
  const parse = pki.certificateFromAsn1;
  const verify = pki.verifyCertificateChain;
  pki.certificateFromAsn1 = (obj, computeHash) => {
    // forge asks for the hash only when reading the peer's Certificate message.
    if (computeHash) {
      peerChain.push(Uint8Array.from(lib.asn1.toDer(obj).getBytes(), (ch) => ch.charCodeAt(0)));
    }
    try {
      return parse(obj, computeHash);
    } catch {
      try {
        return parse(obj, false); // an RSA key under an ECDSA signature
      } catch {
        return {}; // a non-RSA CA certificate: forge uses only the leaf's key
      }
    }
  };
  pki.verifyCertificateChain = () => true;
  try {
    fn();
  } finally {
    pki.certificateFromAsn1 = parse;
    pki.verifyCertificateChain = verify;
  }
}
