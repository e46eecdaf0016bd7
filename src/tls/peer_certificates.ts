import type tls from "node:tls";

/**
 * The certificates the peer sent, DER, leaf first, from
 * `getPeerCertificate(true)` (which links each to its issuer).
 *
 * @example
 * ```ts
 * import { peerCertificates } from "./peer_certificates.ts";
 * import type { TLSSocket } from "node:tls";
 * declare const socket: TLSSocket;
 * const chain = peerCertificates(socket); // [leafDer, intermediateDer, ...]
 * ```
 */
export function peerCertificates(socket: tls.TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}
