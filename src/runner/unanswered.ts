import type { Outcome } from "../outcome/mod.ts";

/**
 * Why a conversation ended without a word from the target, or undefined
 * when the target said something final (a TLS alert, a DICOM PDU, a
 * status) or the conversation completed. TCP that did not connect, a close
 * or reset without a TLS record, a close during the handshake or the
 * association without an alert or a PDU, silence until our deadline: each is
 * what a live peer may do, and also exactly what a target dying under a case
 * looks like. The runner then checks the target again before it judges.
 *
 * @example
 * ```ts
 * import { whyUnanswered } from "./unanswered.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const outcome: Outcome;
 * whyUnanswered(outcome); // e.g. "TCP refused (connect ECONNREFUSED 127.0.0.1:11112)"
 * ```
 */
export function whyUnanswered(outcome: Outcome): string | undefined {
  const { tcp, tls, association } = outcome;
  if (tcp.status !== "connected") return `TCP ${tcp.status}${tcp.error ? ` (${tcp.error})` : ""}`;
  const said = (text?: string) => (text ? `: ${text}` : "");
  if (tls?.status === "not-tls" && tls.peerSent === "nothing") {
    // Its error already says so ("the peer reset the connection without sending a byte: ...").
    return tls.error ?? "the peer closed the connection without sending a byte";
  }
  if (tls?.status === "refused-by-peer" && tls.closedWithoutAlert) {
    return `the peer closed the connection without a TLS alert${said(tls.error)}`;
  }
  if (tls?.status === "timeout") return `TLS timed out${said(tls.error)}`;
  // Our A-ABORT on giving up a wait (for the A-ASSOCIATE-AC, a DIMSE response, the
  // A-RELEASE-RP) is no word of the target's; ours on its violation (a PDU PS3.8 has no place
  // for, an invalid DIMSE response: result or operation `aborted`) answers one.
  const abort = association?.abort;
  const violated = association?.result === "aborted" ||
    outcome.dimse?.operations.at(-1)?.category === "aborted";
  const spoke = association?.reject !== undefined ||
    (abort !== undefined && (abort.by !== "us" || violated));
  if (!spoke && association?.error !== undefined && association.released !== true) {
    return `the association ended without a DICOM answer${said(association.error)}`;
  }
  return undefined;
}

/**
 * Whether the target sent not one byte in the conversation: TCP never
 * connected, or it connected and the target stayed silent until our
 * deadline, closed or reset. Judged by the wire beneath TLS (bytes the
 * target sent), or, without a wire observation, by the TLS stage.
 *
 * @example
 * ```ts
 * import { saidNothing } from "./unanswered.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const outcome: Outcome;
 * saidNothing(outcome); // true for a timeout with 0 bytes received
 * ```
 */
export function saidNothing(outcome: Outcome): boolean {
  if (outcome.tcp.status !== "connected") return true;
  const received = outcome.wire?.received.bytes;
  if (received !== undefined) return received === 0;
  return outcome.tls?.peerSent === "nothing";
}

/**
 * Whether a conversation the target left without a word (see
 * whyUnanswered) got past the TLS handshake first but not to an accepted
 * association: the handshake completed, or the peer closed without an alert
 * once our side of it was done (a TLS 1.3 refusal of our certificate, or a
 * TLS front whose backend is down).
 *
 * @example
 * ```ts
 * import { endedAfterHandshake } from "./unanswered.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const outcome: Outcome;
 * endedAfterHandshake(outcome); // true for refused-by-peer after handshake-complete
 * ```
 */
export function endedAfterHandshake(outcome: Outcome): boolean {
  const tls = outcome.tls;
  // A TLS front whose backend is down never sends an A-ASSOCIATE-AC: a conversation in which the
  // target accepted our association reached its DICOM side, and only its presence is in doubt.
  if (outcome.association?.result === "accepted") return false;
  return tls?.status === "established" ||
    (tls?.status === "refused-by-peer" && tls.after === "handshake-complete");
}
