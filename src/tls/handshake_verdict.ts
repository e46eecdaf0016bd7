import type {
  FirstBytes,
  RefusalPoint,
  TlsOutcome,
  WireAlert,
  WireObservation,
} from "../outcome/mod.ts";
import { classifyTlsError } from "./classify.ts";

/** How a handshake that did not complete ended, as the TLS stack told it. */
export type HandshakeFailure =
  | { kind: "error"; error: Error }
  | { kind: "closed" }
  | { kind: "timeout"; timeoutMs: number };

/**
 * The TLS stage of a handshake that did not complete, judged by what was on
 * the wire, not by the TLS stack's words alone: a peer that never sent one
 * TLS record refused nothing in TLS (`not-tls`: it sent nothing, or bytes
 * that are not TLS, decoded); one that did and then sent an alert or closed
 * refused (`refused-by-peer`, with the point it got to); an alert only our
 * stack sent is our refusal of its answer (`error`, `alertSent`).
 *
 * @example
 * ```ts
 * import { handshakeVerdict } from "./handshake_verdict.ts";
 * import type { WireObservation } from "../outcome/mod.ts";
 * declare const wire: WireObservation;
 * const tls = handshakeVerdict({ failure: { kind: "closed" }, wire, clientCertificate: false });
 * tls.status; // "not-tls" when the peer closed without sending a byte
 * ```
 */
export function handshakeVerdict(o: {
  failure: HandshakeFailure;
  wire: WireObservation;
  clientCertificate: boolean;
}): TlsOutcome {
  const { failure, wire } = o;
  const base: TlsOutcome = { status: "error", clientCertificate: o.clientCertificate };
  if (!wire.peerSpokeTls) return notTls(base, wire, failure);
  if (failure.kind === "timeout") {
    return {
      ...base,
      status: "timeout",
      waitingFor: wire.serverHello ? "the rest of the peer's handshake" : "the peer's ServerHello",
      error: `no TLS handshake within ${Math.round(failure.timeoutMs)} ms`,
    };
  }
  const c = failure.kind === "error" ? classifyTlsError(failure.error) : undefined;
  const { sent, received } = alertsInOrder(wire);
  // Our alert first on the wire is our refusal: the peer's answer to it refused nothing.
  const alert = sent && !received ? undefined : c?.alert ?? received?.description;
  const message = c?.message ?? "the peer closed the connection during the handshake";
  // Without an alert, a refusal needs the peer's close; a stack error while
  // the peer is still there (bytes rustls would not take) is our refusal.
  const peerClosed = failure.kind === "closed" || c?.closedWithoutAlert === true ||
    wire.close.peer !== undefined;
  if (!alert && failure.kind === "error" && (sent || !peerClosed)) {
    return {
      ...base,
      ...(sent ? { alertSent: sent.description } : {}),
      error: `our TLS stack refused the peer's answer: ${message}`,
    };
  }
  return {
    ...base,
    status: "refused-by-peer",
    after: refusalPoint(wire, false),
    ...(alert ? { alert } : { closedWithoutAlert: true }),
    ...(sent ? { alertSent: sent.description } : {}),
    error: message,
  };
}

/**
 * The first alert we sent, and the first the peer sent before it: the
 * wire's order decides who refused, so a peer's alert that answers ours
 * (our stack refused its hello, then it sent its own) is left out.
 *
 * @example
 * ```ts
 * import { alertsInOrder } from "./handshake_verdict.ts";
 * import type { WireObservation } from "../outcome/mod.ts";
 * declare const wire: WireObservation;
 * alertsInOrder(wire).received; // undefined when our alert came first
 * ```
 */
export function alertsInOrder(
  wire: WireObservation,
): { sent: WireAlert | undefined; received: WireAlert | undefined } {
  const ours = wire.alerts.findIndex((a) => a.direction === "sent");
  const before = ours < 0 ? wire.alerts : wire.alerts.slice(0, ours);
  return {
    sent: ours < 0 ? undefined : wire.alerts[ours],
    received: before.find((a) => a.direction === "received"),
  };
}

/**
 * How far a handshake got, from what was on the wire.
 *
 * @example
 * ```ts
 * import { refusalPoint } from "./handshake_verdict.ts";
 * import type { WireObservation } from "../outcome/mod.ts";
 * declare const wire: WireObservation;
 * refusalPoint(wire, true); // "handshake-complete"
 * ```
 */
export function refusalPoint(wire: WireObservation, ourHandshakeDone: boolean): RefusalPoint {
  if (ourHandshakeDone) return "handshake-complete";
  if (!wire.serverHello) return "client-hello";
  if (wire.clientCertificates !== undefined) return "our-certificate";
  return "server-hello";
}

function notTls(base: TlsOutcome, wire: WireObservation, failure: HandshakeFailure): TlsOutcome {
  const first = wire.peerFirstBytes;
  if (wire.received.bytes === 0) {
    if (failure.kind === "timeout") {
      return {
        ...base,
        status: "timeout",
        waitingFor: "the peer's first byte (its ServerHello)",
        error: `the peer sent nothing within ${Math.round(failure.timeoutMs)} ms`,
      };
    }
    const how = wire.close.peer?.how === "reset" ? "reset the connection" : "closed the connection";
    return {
      ...base,
      status: "not-tls",
      peerSent: "nothing",
      error: `the peer ${how} without sending a byte: no TLS server answered`,
    };
  }
  // The start of a TLS record that never completed: a slow or broken TLS peer, not a non-TLS one.
  if (first && startsTlsRecord(first)) {
    if (failure.kind === "timeout") {
      return {
        ...base,
        status: "timeout",
        waitingFor: "the rest of the peer's first TLS record",
        error: `the peer sent ${first.description} but not the whole record within ${
          Math.round(failure.timeoutMs)
        } ms`,
      };
    }
    return {
      ...base,
      firstBytes: first,
      error: `the peer sent ${first.description} and ended before the record was whole`,
    };
  }
  return {
    ...base,
    status: "not-tls",
    peerSent: "non-tls",
    ...(first ? { firstBytes: first } : {}),
    error: `the peer answered with ${first?.description ?? "bytes that are not TLS"}, not TLS`,
  };
}

/**
 * Whether first bytes are a TLS record header, or as much of one as came
 * (content type 20-24, then major version 3).
 */
function startsTlsRecord(first: FirstBytes): boolean {
  if (first.kind === "tls") return true;
  const bytes = first.hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
  return bytes.length > 0 && bytes.length < 5 && bytes[0] >= 20 && bytes[0] <= 24 &&
    (bytes.length < 2 || bytes[1] === 3);
}

/**
 * The TLS stage of a handshake we accepted that did not complete (server
 * role), judged by the wire: a client that sent no TLS record is `not-tls`
 * (plain DICOM to a TLS port: its A-ASSOCIATE-RQ decoded in `firstBytes`);
 * one that sent an alert, or closed first, refused our side
 * (`refused-by-peer`); otherwise our stack refused it (`refused-by-us`:
 * e.g. its certificate by chain) or our deadline passed (`timeout`).
 *
 * @example
 * ```ts
 * import { acceptVerdict } from "./handshake_verdict.ts";
 * import type { WireObservation } from "../outcome/mod.ts";
 * declare const wire: WireObservation;
 * acceptVerdict({ error: new Error("socket hang up"), wire }).status;
 * ```
 */
export function acceptVerdict(o: { error: Error; wire: WireObservation }): TlsOutcome {
  const { error, wire } = o;
  const c = classifyTlsError(error);
  if (!wire.peerSpokeTls) {
    const timeout = /^no TLS handshake within/.test(error.message);
    if (timeout && wire.received.bytes === 0) {
      return { status: "timeout", waitingFor: "the client's ClientHello", error: error.message };
    }
    const first = wire.peerFirstBytes;
    // A TLS record header whose record never completed: a slow or broken client, not a non-TLS one.
    if (timeout && first?.kind === "tls") {
      return {
        status: "timeout",
        waitingFor: "the rest of the client's ClientHello record",
        error: `${error.message}; the client sent ${first.description} but not the whole record`,
      };
    }
    // The start of a TLS record the client never finished: a broken TLS client, not a non-TLS one.
    if (first && startsTlsRecord(first)) {
      return {
        status: "error",
        firstBytes: first,
        error: `the client sent ${first.description} and ended before the record was whole`,
      };
    }
    return {
      status: "not-tls",
      peerSent: wire.received.bytes === 0 ? "nothing" : "non-tls",
      ...(first ? { firstBytes: first } : {}),
      error: wire.received.bytes === 0
        ? "the client closed without sending a byte"
        : `the client sent ${first?.description ?? "bytes that are not TLS"}, not TLS` +
          (first?.kind === "dicom-pdu" ? " (plain DICOM to the TLS port)" : ""),
    };
  }
  const after: RefusalPoint = wire.serverHello ? "our-certificate" : "client-hello";
  const { sent, received } = alertsInOrder(wire);
  // Our alert first on the wire is our refusal: the client's answer to it refused nothing.
  const alert = sent && !received ? undefined : c.alert ?? received?.description;
  if (alert) return { status: "refused-by-peer", after, alert, error: c.message };
  if (/^no TLS handshake within/.test(error.message)) {
    return {
      status: "timeout",
      waitingFor: "the rest of the client's handshake",
      error: error.message,
    };
  }
  // Our alert before the client's close is our refusal: the client only closed after it.
  const ourAlertFirst = sent !== undefined && sent.atMs <= (wire.close.peer?.atMs ?? Infinity);
  if (wire.close.first === "peer" && !ourAlertFirst && !clientSentSecondFlight(wire)) {
    return { status: "refused-by-peer", after, closedWithoutAlert: true, error: c.message };
  }
  return {
    status: "refused-by-us",
    ...(sent ? { alertSent: sent.description } : {}),
    error: `our TLS stack refused the handshake: ${c.message}`,
  };
}

// A bare TLS 1.3 alert, encrypted: 2 bytes, the inner content type and a 16-byte AEAD tag.
const ENCRYPTED_ALERT_LENGTH = 2 + 1 + 16;

/**
 * Whether the client sent its second flight, which it sends only once it
 * has checked our certificate: TLS 1.2 and below its ClientKeyExchange;
 * TLS 1.3 an encrypted record longer than a bare alert (its Certificate or
 * Finished). A close after that refuses nothing: a client that sends its
 * flight and closes at once (`openssl s_client </dev/null`) otherwise read
 * as refusing us, even when our stack had refused its certificate.
 */
function clientSentSecondFlight(wire: WireObservation): boolean {
  return wire.records.some((r) =>
    r.direction === "received" &&
    (r.handshake?.includes("client_key_exchange") === true ||
      (wire.tls13Encrypted && r.contentType === "application_data" &&
        r.length > ENCRYPTED_ALERT_LENGTH))
  );
}
