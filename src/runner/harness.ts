import { readPart10File } from "../part10/mod.ts";
import type { ScuOperation, ScuOptions } from "../scu/mod.ts";
import { SecurityLoader } from "../security/mod.ts";
import type { Case } from "../scenario/mod.ts";
import { tlsChoice } from "../tls/mod.ts";

/**
 * Loads what a case presents, trusts and sends, once per distinct file set:
 * a 2,000-case suite uses a handful of certificates, not 2,000 copies.
 *
 * @example
 * ```ts
 * import { HarnessFiles } from "./harness.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const c: Case;
 * const harness = new HarnessFiles();
 * const options = await harness.scuOptions(c, { port: 11112 });
 * ```
 */
export class HarnessFiles {
  #security = new SecurityLoader();
  #files = new Map<string, Promise<ScuOperation>>();

  /**
   * The {@linkcode ScuOptions} for one case. Unreadable or invalid files are
   * input errors (InputError): the case is a harness error, not a failure.
   */
  async scuOptions(c: Case, target: { host?: string; port?: number } = {}): Promise<ScuOptions> {
    const h = c.harness;
    const tls = await this.#security.tlsSettings(h.security, { role: "requestor" });
    const base = {
      host: target.host ?? c.sut.host,
      port: target.port ?? c.sut.port,
      callingAe: h.callingAe,
      calledAe: h.calledAe,
      policy: tls.policy,
      timeoutMs: c.timeoutMs,
      operations: await this.#operations(c),
    };
    if (h.plain) return { ...base, plain: true };
    return { ...base, credentials: tls.credentials, ...tlsChoice(tls.tls) };
  }

  #operations(c: Case): Promise<ScuOperation[]> {
    return c.operation === "store"
      ? Promise.all(c.files.map((f) => this.#part10(f)))
      : Promise.resolve([{ command: "C-ECHO" }]);
  }

  #part10(file: string): Promise<ScuOperation> {
    let op = this.#files.get(file);
    if (!op) {
      // Bounded, as store reads (validate read it once already: it may have changed since).
      op = readPart10File(file).then((f) => ({ command: "C-STORE" as const, file: f, name: file }));
      this.#files.set(file, op);
    }
    return op;
  }
}

/**
 * What a case did, for reports: never a private key or a password.
 *
 * @example
 * ```ts
 * import { caseSettings } from "./harness.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const c: Case;
 * caseSettings(c); // { certificate: "client-expired", verify: "chain", callingAe: "HARNESS", ... }
 * ```
 */
export function caseSettings(c: Case): Record<string, unknown> {
  const h = c.harness;
  const s = h.security;
  const cert = s.certificate;
  return {
    operation: c.operation,
    callingAe: h.callingAe,
    calledAe: h.calledAe,
    certificate: cert.kind === "none"
      ? "none"
      : cert.kind === "pem"
      ? cert.label ?? cert.cert
      : cert.kind === "p12"
      ? cert.p12
      : `store ${cert.store} (${cert.subject ?? cert.thumbprint ?? "host name"})`,
    verify: s.verify === "thumbprint" ? `thumbprint ${s.thumbprints.join(";")}` : s.verify,
    checkHostname: s.checkHostname,
    ...(h.plain ? { tls: "off" } : s.tls.min || s.tls.max ? { tls: s.tls } : {}),
    ...(c.files.length ? { files: c.files } : {}),
  };
}
