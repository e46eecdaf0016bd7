import { readPart10 } from "../part10/mod.ts";
import type { ScuOperation, ScuOptions } from "../scu/mod.ts";
import { loadLocalCertificate, loadTrustAnchors } from "../security/mod.ts";
import type { Case } from "../scenario/mod.ts";
import type { LegacyTlsVersion, TlsCredentials, VerificationPolicy } from "../tls/mod.ts";
import { InputError } from "../yaml/mod.ts";

/**
 * Loads what a case presents and trusts, once per distinct file set: a
 * 2,000-case suite uses a handful of certificates, not 2,000 copies.
 *
 * @example
 * ```ts
 * const harness = new HarnessFiles();
 * const options = await harness.scuOptions(c, { port: 11112 });
 * ```
 */
export class HarnessFiles {
  #credentials = new Map<string, Promise<TlsCredentials | undefined>>();
  #anchors = new Map<string, Promise<Uint8Array[]>>();
  #files = new Map<string, Promise<ScuOperation>>();

  /**
   * The {@linkcode ScuOptions} for one case. Unreadable or invalid files are
   * {@linkcode InputError}s: the case is a harness error, not a failure.
   */
  async scuOptions(c: Case, target: { host?: string; port?: number } = {}): Promise<ScuOptions> {
    const h = c.harness;
    return {
      host: target.host ?? c.sut.host,
      port: target.port ?? c.sut.port,
      callingAe: h.callingAe,
      calledAe: h.calledAe,
      credentials: await this.#credentialsFor(c),
      policy: await this.#policyFor(c),
      // A legacy max makes the case a handshake probe that offers exactly that version.
      ...(legacy(h.tls?.max)
        ? { maxVersion: h.tls!.max as LegacyTlsVersion }
        : { minVersion: tlsVersion(h.tls?.min), maxVersion: tlsVersion(h.tls?.max) }),
      timeoutMs: c.timeoutMs,
      operations: c.operation === "store"
        ? await Promise.all(c.files.map((f) => this.#part10(f)))
        : [{ command: "C-ECHO" }],
    };
  }

  #credentialsFor(c: Case): Promise<TlsCredentials | undefined> {
    const cert = c.harness.certificate;
    const key = JSON.stringify(cert);
    let loaded = this.#credentials.get(key);
    if (!loaded) {
      loaded = cert.kind === "none" ? Promise.resolve(undefined) : loadLocalCertificate(
        cert.kind === "pem"
          ? { cert: cert.chain ?? cert.cert, key: cert.key }
          : cert.kind === "p12"
          ? { p12: cert.p12, password: cert.password }
          : {
            store: cert.store,
            subject: cert.subject,
            storeThumbprint: cert.thumbprint,
            password: cert.password,
          },
      );
      this.#credentials.set(key, loaded);
    }
    return loaded;
  }

  async #policyFor(c: Case): Promise<VerificationPolicy> {
    const { verify, trust, checkHostname } = c.harness;
    if (verify.method === "thumbprint") {
      return { method: "thumbprint", thumbprints: verify.thumbprints, checkHostname };
    }
    if (verify.method === "none") return { method: "none", checkHostname };
    const key = trust.join("\n");
    let anchors = this.#anchors.get(key);
    if (!anchors) {
      anchors = loadTrustAnchors(trust).then((a) => a.der);
      this.#anchors.set(key, anchors);
    }
    return { method: "chain", anchors: await anchors, checkHostname };
  }

  #part10(file: string): Promise<ScuOperation> {
    let op = this.#files.get(file);
    if (!op) {
      op = Deno.readFile(file).then(
        (bytes) => ({ command: "C-STORE" as const, file: readPart10(bytes), name: file }),
        (e) => {
          throw new InputError({
            message: `cannot read ${file}: ${(e as Error).message}`,
            hint: "check the case's files: list",
          });
        },
      );
      this.#files.set(file, op);
    }
    return op;
  }
}

function legacy(v: string | undefined): boolean {
  return v === "TLSv1" || v === "TLSv1.1";
}

function tlsVersion(v: string | undefined): ScuOptions["minVersion"] {
  if (v === undefined) return undefined;
  if (v === "TLSv1.2" || v === "TLSv1.3") return v;
  throw new InputError({
    message:
      `TLS version ${v} cannot be offered: the TLS stack (rustls) speaks only TLSv1.2 and TLSv1.3`,
    hint: "use tls: { min: TLSv1.2 } or TLSv1.3; to probe a legacy version use tls: { max: TLSv1 }",
  });
}

/**
 * What a case did, for reports: never a private key or a password.
 *
 * @example
 * ```ts
 * caseSettings(c); // { certificate: "client-expired", verify: "chain", callingAe: "HARNESS", ... }
 * ```
 */
export function caseSettings(c: Case): Record<string, unknown> {
  const h = c.harness;
  const cert = h.certificate;
  return {
    operation: c.operation,
    callingAe: h.callingAe,
    calledAe: h.calledAe,
    certificate: cert.kind === "none"
      ? "none"
      : cert.kind === "pem"
      ? cert.pkiName ?? cert.cert
      : cert.kind === "p12"
      ? cert.p12
      : `store ${cert.store} (${cert.subject ?? cert.thumbprint ?? "host name"})`,
    verify: h.verify.method === "thumbprint"
      ? `thumbprint ${h.verify.thumbprints.join(";")}`
      : h.verify.method,
    checkHostname: h.checkHostname,
    ...(h.tls ? { tls: h.tls } : {}),
    ...(c.files.length ? { files: c.files } : {}),
  };
}
