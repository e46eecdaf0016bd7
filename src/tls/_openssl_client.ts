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
        hint: localHint(o),
      });
    }
    return e.kind === "timeout" ? { kind: "timeout" } : { kind: "error", error: e };
  }
}

// The options given, as `echo` spells them and as a suite's `tls:` does: a command
// without cases must not be sent looking for one.
function localHint(o: object): string {
  const given = (["ciphers", "ciphersuites", "groups", "sigalgs"] as const)
    .filter((k) => ((o as Record<string, unknown[] | undefined>)[k]?.length ?? 0) > 0);
  return given.length > 0
    ? `check ${given.map((k) => `--${k}`).join(", ")} (in a suite: tls: ${
      given.join(", ")
    }) and the certificate`
    : "check the certificate and the TLS versions asked for";
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
