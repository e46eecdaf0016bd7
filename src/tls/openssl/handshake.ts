import type { Duplex } from "node:stream";

/**
 * The ephemeral key of the key exchange, as OpenSSL reports it to a client.
 *
 * @example
 * ```ts
 * const dhe: EphemeralKey = { type: "DH", size: 2048 };
 * const ecdhe: EphemeralKey = { type: "ECDH", name: "prime256v1", size: 256 };
 * ```
 */
export interface EphemeralKey {
  /** "DH" (finite field) or "ECDH" (curves, X25519/X448). */
  type: "DH" | "ECDH";
  /** The group, e.g. "prime256v1", "X25519" (absent for DH). */
  name?: string;
  /** Key size in bits: the "DH key size" or the curve's size. */
  size: number;
}

/**
 * A TLS handshake the OpenSSL stack completed, what it negotiated, and the
 * plaintext side of the conversation.
 *
 * `plaintext` behaves like a `tls.TLSSocket` for the DICOM upper layer:
 * 'data', write, end (sends close_notify, then ends the TCP side), destroy
 * (also destroys `ciphertext`), 'end', 'close', and 'error' with an
 * {@linkcode OpenSslError} (e.g. a TLS 1.3 server refusing our certificate
 * after our handshake completed: kind `peer-alert`).
 *
 * @example
 * ```ts
 * declare const h: OpenSslHandshake;
 * console.log(h.protocol, h.cipher.standardName, h.ephemeralKey?.size, h.peerChain.length);
 * h.plaintext.on("data", (d: Uint8Array) => console.log(d.length));
 * ```
 */
export interface OpenSslHandshake {
  plaintext: Duplex;
  /** "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3". */
  protocol: string;
  cipher: {
    /** IANA name, e.g. "TLS_RSA_WITH_AES_128_CBC_SHA". */
    standardName: string;
    /** OpenSSL name, e.g. "AES128-SHA". */
    name: string;
  };
  /** Client role only (Node reports none to a server); absent with RSA key exchange. */
  ephemeralKey?: EphemeralKey;
  /** The peer's certificates, DER, leaf first, issuer-linked as OpenSSL returns them. */
  peerChain: Uint8Array[];
  /** Whether the peer sent a certificate. */
  peerCertificate: boolean;
  sessionReused: boolean;
  /** The ALPN protocol agreed, when any. */
  alpn?: string;
  /** Server role: the SNI name the client sent. */
  servername?: string;
  /** Signature algorithms both sides support (OpenSSL names, e.g. "RSA-PSS+SHA256"). */
  sharedSigalgs: string[];
  /** Milliseconds from the open request to the handshake result. */
  handshakeMs: number;
}
