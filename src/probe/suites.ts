import type { ProtocolVersionName, ServerHelloInfo, WireObservation } from "../tls/wire/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";
import { _chose, _decided, _helloFor, _suitesFor } from "./_hellos.ts";
import type { AcceptedSuite, UnknownProbe } from "./report.ts";
import type { HelloScheduler } from "./scheduler.ts";

/** What the suites of one version gave. */
export interface SuitesAnswer {
  /** Accepted suites, by IANA code. */
  accepted: AcceptedSuite[];
  /** How many suites were probed. */
  probed: number;
  /** Probes that got no answer after their retries. */
  unknown: UnknownProbe[];
  /** The first TLS <= 1.2 answer that carried the server's certificates (for the chain). */
  certificates?: string[];
  /** Whether the server asked for a client certificate, once a ServerHelloDone was seen. */
  certificateRequested?: boolean;
}

/**
 * Every suite valid in `version`, one per hello: accepted when the server
 * chose that version and that suite. TLS <= 1.2 answers are read up to
 * ServerHelloDone, for the key exchange (DH prime size, ECDHE group), the
 * certificates and the certificate request.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probeSuites } from "./suites.ts";
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * const { accepted } = await probeSuites(scheduler, "TLSv1.2");
 * console.log(accepted.map((s) => `${s.name} ${s.keyExchange ?? ""}`));
 * ```
 */
export async function probeSuites(
  scheduler: HelloScheduler,
  version: ProtocolVersionName,
): Promise<SuitesAnswer> {
  const suites = _suitesFor(version);
  const legacy = version !== "TLSv1.3";
  const out: SuitesAnswer = { accepted: [], probed: suites.length, unknown: [] };
  await Promise.all(suites.map(async (suite) => {
    const answer = await scheduler.send(_helloFor(version, { suites: [suite.code] }), {
      untilServerHelloDone: legacy,
    });
    const name = suite.iana ?? suite.openssl ?? String(suite.code);
    const result = _decided(answer);
    if (typeof result === "string") {
      out.unknown.push({ name, why: result });
      return;
    }
    const hello = _chose(answer, version, suite.code);
    if (!hello) return;
    const o = result.observation;
    out.accepted.push({
      code: suite.code,
      name,
      ...(suite.openssl ? { openssl: suite.openssl } : {}),
      ..._keyExchange(suite.code, hello, o),
    });
    if (legacy && !out.certificates && o.serverCertificates?.length) {
      out.certificates = o.serverCertificates;
    }
    if (legacy && out.certificateRequested !== true && _sawHelloDone(o)) {
      out.certificateRequested = o.certificateRequest !== undefined;
    }
  }));
  out.accepted.sort((a, b) => a.code - b.code);
  out.unknown.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

function _keyExchange(
  code: number,
  hello: ServerHelloInfo,
  o: WireObservation,
): Pick<AcceptedSuite, "keyExchange" | "dhBits" | "group"> {
  if (hello.version.name === "TLSv1.3") {
    const group = hello.selectedGroup?.name;
    if (!group) return {};
    return { keyExchange: `${group.startsWith("ffdhe") ? "DH" : "ECDH"} ${group}`, group };
  }
  const ske = o.serverKeyExchange;
  if (ske?.kind === "dhe") {
    return { keyExchange: `DH ${ske.primeBits}`, dhBits: ske.primeBits };
  }
  if (ske?.kind === "ecdhe" && ske.group) {
    return { keyExchange: `ECDH ${ske.group.name}`, group: ske.group.name };
  }
  if (ske?.kind === "rsa") return { keyExchange: `RSA export ${ske.modulusBits}` };
  const kx = cipherSuite(code)?.kx;
  return kx === "RSA" ? { keyExchange: "RSA" } : {};
}

function _sawHelloDone(o: WireObservation): boolean {
  return o.records.some((r) =>
    r.direction === "received" && r.handshake?.includes("server_hello_done")
  );
}
