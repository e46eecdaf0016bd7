import type { Duplex } from "node:stream";
import { InputError } from "../yaml/input_error.ts";
import { OpenSslError, type OpenSslHandshake, sharedOpenSsl } from "./openssl/mod.ts";
import { opensslChoice, type TlsStackNeeds } from "./stack.ts";
import { _watchAfter, type HandshakeEnd } from "./_handshake_end.ts";

/** What the OpenSSL client handshake needs. */
export type OpenSslHandshakeOptions = Omit<TlsStackNeeds, "stack"> & {
  host: string;
  servername?: string;
  timeoutMs: number;
};

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
      ...opensslChoice(o),
      ...(o.credentials ? { cert: o.credentials.cert, key: o.credentials.key } : {}),
      timeoutMs: o.timeoutMs,
    });
    return { kind: "done", ..._negotiated(hs), after: _watchAfter(hs.plaintext) };
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

/** What an OpenSSL handshake negotiated, as both roles report it. */
export function _negotiated(hs: OpenSslHandshake) {
  return {
    socket: hs.plaintext,
    protocol: hs.protocol,
    cipher: hs.cipher.standardName,
    peerChain: hs.peerChain,
    ...(hs.ephemeralKey ? { ephemeralKey: hs.ephemeralKey } : {}),
  };
}
