import type { Duplex } from "node:stream";

import type { EphemeralKey } from "./key_exchange.ts";

/** How a client handshake attempt ended, whichever stack ran it, before any verdict. */
export type HandshakeEnd =
  /** Our side completed; `after` collects what came before the caller took over. */
  | {
    kind: "done";
    /** The plaintext side of the conversation. */
    socket: Duplex;
    protocol?: string;
    cipher?: string;
    peerChain: Uint8Array[];
    ephemeralKey?: EphemeralKey;
    after: { error?: Error; closed: boolean };
  }
  /** The TLS stack failed (an alert either way, a reset, bytes that are not TLS). */
  | { kind: "error"; error: Error }
  /** The connection closed with no error. */
  | { kind: "closed" }
  | { kind: "timeout" };

/**
 * Collects what happens on an established socket until its caller takes
 * over: a TLS 1.3 refusal of our certificate arrives right after our
 * handshake; later errors are the caller's.
 */
export function _watchAfter(socket: Duplex): { error?: Error; closed: boolean } {
  const after: { error?: Error; closed: boolean } = { closed: false };
  socket.on("error", (e: Error) => after.error ??= e);
  socket.once("close", () => after.closed = true);
  return after;
}
