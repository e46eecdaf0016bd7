import type { Duplex } from "node:stream";
import { InputError } from "../yaml/input_error.ts";
import type { TlsCredentials } from "./credentials.ts";
import { OpenSslError, sharedOpenSsl } from "./openssl/mod.ts";
import type { TlsVersion } from "./version.ts";
import { offeredMax, offeredMin } from "./stack.ts";
import { _watchAfter, type HandshakeEnd } from "./_handshake_end.ts";

/** What the OpenSSL client handshake needs. */
export interface OpenSslHandshakeOptions {
  host: string;
  servername?: string;
  credentials?: TlsCredentials;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  ciphers?: string[];
  ciphersuites?: string[];
  groups?: string[];
  sigalgs?: string[];
  timeoutMs: number;
}

/**
 * A client handshake with the OpenSSL stack (one Node.js helper per run)
 * over the wire tap. What our side cannot do (the helper missing, an option
 * or key OpenSSL refuses) is an `InputError`; what the peer did is the end.
 */
export async function _opensslHandshake(
  ciphertext: Duplex,
  o: OpenSslHandshakeOptions,
): Promise<HandshakeEnd> {
  try {
    const engine = await sharedOpenSsl();
    const hs = await engine.connect({
      ciphertext,
      ...(o.servername ? { servername: o.servername } : {}),
      minVersion: offeredMin(o),
      maxVersion: offeredMax(o),
      ciphers: o.ciphers,
      ciphersuites: o.ciphersuites,
      groups: o.groups,
      sigalgs: o.sigalgs,
      ...(o.credentials ? { cert: o.credentials.cert, key: o.credentials.key } : {}),
      timeoutMs: o.timeoutMs,
    });
    return {
      kind: "done",
      socket: hs.plaintext,
      protocol: hs.protocol,
      cipher: hs.cipher.standardName,
      peerChain: hs.peerChain,
      ...(hs.ephemeralKey ? { ephemeralKey: hs.ephemeralKey } : {}),
      after: _watchAfter(hs.plaintext),
    };
  } catch (e) {
    ciphertext.destroy();
    if (!(e instanceof OpenSslError)) throw e;
    if (e.kind === "local") {
      throw new InputError({
        message: `our TLS stack (OpenSSL) cannot do this: ${e.message}`,
        hint: "check the case's tls: options and certificate",
      });
    }
    return e.kind === "timeout" ? { kind: "timeout" } : { kind: "error", error: e };
  }
}
