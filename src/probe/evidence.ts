import net from "node:net";
import { cEcho } from "../dimse/mod.ts";
import { type OpenSslEngine, OpenSslError, sharedOpenSsl } from "../tls/openssl/mod.ts";
import { cipherSuite, type ProtocolVersionName } from "../tls/wire/mod.ts";
import {
  IMPLICIT_VR_LITTLE_ENDIAN,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import type { AssociationEvidence, ProbeReport } from "./report.ts";

/** Options of {@linkcode gatherEvidence}. */
export interface EvidenceOptions {
  host: string;
  port: number;
  /** Our AE title; default "DICOMTLS". */
  callingAe?: string;
  /** The target's AE title; default "ANY-SCP". */
  calledAe?: string;
  /** Our client certificate (PEM, then its intermediates), for targets that require one. */
  cert?: string;
  /** Our private key (PEM). */
  key?: string;
  passphrase?: string;
  /** Deadline of each conversation (TCP, TLS, association, C-ECHO, release); default 10000 ms. */
  timeoutMs?: number;
  /** The OpenSSL engine; default the process's shared one. */
  engine?: OpenSslEngine;
}

/**
 * Evidence that counts: for each version the probe found accepted, one
 * real conversation through the OpenSSL stack (src/tls/openssl) limited to
 * exactly that version and the suites accepted in it, presenting our
 * client certificate when given: TLS handshake, A-ASSOCIATE-RQ with the
 * Verification SOP Class, C-ECHO, A-RELEASE. "echoed" means a DICOM
 * conversation over that version worked, not only a ServerHello. SSL 3.0
 * is `not-tried` (this OpenSSL has none). One at a time; never rejects.
 *
 * @example
 * ```ts
 * import { gatherEvidence } from "./evidence.ts";
 * import type { ProbeReport } from "./report.ts";
 * declare const report: ProbeReport;
 * const evidence = await gatherEvidence(report, {
 *   host: "127.0.0.1", port: 2762, calledAe: "STORESCP",
 *   cert: Deno.readTextFileSync("client.chain.pem"), key: Deno.readTextFileSync("client.key"),
 * });
 * console.log(evidence.map((e) => `${e.version}: ${e.result} ${e.detail}`));
 * ```
 */
export async function gatherEvidence(
  report: ProbeReport,
  options: EvidenceOptions,
): Promise<AssociationEvidence[]> {
  const out: AssociationEvidence[] = [];
  for (const v of report.versions) {
    if (v.status !== "accepted") continue;
    const named = v.suites.map((s) => cipherSuite(s.code)).filter((s) => s?.openssl);
    if (v.version === "SSLv3" || named.length === 0) {
      const why = v.version === "SSLv3"
        ? "the OpenSSL stack has no SSL 3.0"
        : "no suite accepted in it is known to OpenSSL";
      out.push({ version: v.version, result: "not-tried", detail: why, durationMs: 0 });
      continue;
    }
    const suites = named.map((s) => s!.iana!);
    out.push(await _converse(v.version, suites, options));
  }
  return out;
}

async function _converse(
  version: ProtocolVersionName,
  suites: string[],
  o: EvidenceOptions,
): Promise<AssociationEvidence> {
  const began = performance.now();
  const timeoutMs = o.timeoutMs ?? 10_000;
  const deadline = began + timeoutMs;
  const left = () => Math.max(1, Math.round(deadline - performance.now()));
  const took = () => Math.round(performance.now() - began);
  let socket: net.Socket | undefined;
  let stage = "TCP";
  // A TLS 1.3 refusal of our certificate arrives after the handshake, as a plaintext error.
  let late: Error | undefined;
  try {
    socket = await _tcp(o.host, o.port, timeoutMs);
    stage = "TLS";
    const engine = o.engine ?? await sharedOpenSsl();
    const tls13 = version === "TLSv1.3";
    const tls = await engine.connect({
      ciphertext: socket,
      minVersion: version,
      maxVersion: version,
      ...(tls13 ? { ciphersuites: suites } : { ciphers: suites }),
      ...(o.cert && o.key ? { cert: o.cert, key: o.key, passphrase: o.passphrase } : {}),
      timeoutMs: left(),
    });
    const tlsDone = `${tls.protocol} ${tls.cipher.standardName}`;
    stage = `association after ${tlsDone}`;
    tls.plaintext.on("error", (e: Error) => late ??= e);
    const association = await requestAssociation({
      socket: tls.plaintext,
      callingAe: o.callingAe ?? "DICOMTLS",
      calledAe: o.calledAe ?? "ANY-SCP",
      presentationContexts: [{
        abstractSyntax: VERIFICATION_SOP_CLASS,
        transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
      }],
      timeoutMs: left(),
    }).catch((e: Error) => Promise.reject(late ?? e));
    stage = `C-ECHO after ${tlsDone}`;
    const status = await cEcho(association, { timeoutMs: left() });
    await association.release({ timeoutMs: left() }).catch(() => {});
    const ok = status.category === "success";
    return {
      version,
      result: ok ? "echoed" : "failed",
      detail: `${tlsDone}, A-ASSOCIATE-AC, C-ECHO ${status.name}`,
      protocol: tls.protocol,
      cipher: tls.cipher.standardName,
      durationMs: took(),
    };
  } catch (e) {
    const error = late ?? e as Error;
    const ours = error instanceof OpenSslError && error.kind === "local";
    const refused = !ours && (stage === "TLS" || late !== undefined);
    return {
      version,
      result: refused ? "refused" : "failed",
      detail: `${late ? "TLS after the handshake" : stage}: ${
        error.message.split("\n")[0].slice(0, 200)
      }`,
      durationMs: took(),
    };
  } finally {
    socket?.destroy();
  }
}

function _tcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
