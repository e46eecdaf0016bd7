/**
 * Seeing TLS conversations on the wire, beneath the TLS stack, in both roles.
 *
 * - {@linkcode WireTap}: a `node:stream` Duplex between a `net.Socket` and
 *   `node:tls` (or plain DICOM) that forwards every byte unchanged and
 *   records a {@linkcode WireObservation}: records, ClientHello and
 *   ServerHello decoded, TLS 1.2 certificates, key exchange and certificate
 *   request, plaintext alerts, first bytes, byte counts, who closed first;
 *   `peerSpokeTls` says whether the peer sent one valid TLS record.
 * - Decoders, pure and bounded, that never throw on hostile bytes:
 *   {@linkcode parseRecordHeader}, {@linkcode TlsRecordReader},
 *   {@linkcode HandshakeReassembler}, {@linkcode decodeClientHello},
 *   {@linkcode decodeServerHello}, {@linkcode decodeCertificateMessage},
 *   {@linkcode decodeServerKeyExchange}, {@linkcode decodeCertificateRequest},
 *   {@linkcode decodeAlerts}, {@linkcode classifyFirstBytes} (TLS, DICOM PDU,
 *   HTTP, SSH, ...), and the {@linkcode WireObserver} that ties them together.
 * - Name tables by IANA code and by IANA or OpenSSL name:
 *   {@linkcode cipherSuite}, {@linkcode namedGroup}, {@linkcode signatureScheme},
 *   {@linkcode protocolVersion}, {@linkcode extensionType}.
 * - A ClientHello builder and a one-hello probe for version and suite
 *   enumeration: {@linkcode buildClientHello}, {@linkcode probeHello}.
 *
 * See docs/wire.md for what can and cannot be seen, the bounds, and the cost.
 *
 * @example
 * ```ts
 * import net from "node:net";
 * import tls from "node:tls";
 * import { WireTap } from "./mod.ts";
 * const socket = net.connect({ host: "127.0.0.1", port: 2762, noDelay: true });
 * await new Promise((resolve) => socket.once("connect", resolve));
 * const tap = new WireTap({ socket, role: "client" });
 * const secure = tls.connect({ socket: tap, rejectUnauthorized: false });
 * tap.attachTls(secure);
 * secure.once("close", () => {
 *   const o = tap.observation();
 *   console.log(o.peerSpokeTls, o.serverHello?.version.name, o.alerts, o.peerFirstBytes?.description);
 * });
 * ```
 * @module
 */
export * from "./names.ts";
export * from "./cipher_suites.ts";
export * from "./record.ts";
export * from "./handshake.ts";
export * from "./client_hello.ts";
export * from "./server_hello.ts";
export * from "./server_messages.ts";
export * from "./alert.ts";
export * from "./first_bytes.ts";
export * from "./observation.ts";
export * from "./observer.ts";
export * from "./tap.ts";
export * from "./client_hello_builder.ts";
export * from "./probe.ts";
// A type the observation uses, from the Outcome.
export type { TlsAlert } from "../../outcome/mod.ts";
