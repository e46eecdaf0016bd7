import { X509Certificate } from "node:crypto";
import { InputError } from "../yaml/input_error.ts";

/** Trust anchors as `node:tls` takes them (PEM) and as our verifier does (DER). */
export interface TrustAnchors {
  /** Each anchor as PEM text, for `node:tls`. */
  pem: string[];
  /** Each anchor as DER, for our verifier. */
  der: Uint8Array[];
}

/**
 * Reads trust anchor files (each may hold several PEM certificates).
 *
 * @example
 * ```ts
 * import { loadTrustAnchors } from "./trust_anchors.ts";
 * const anchors = await loadTrustAnchors(["pki/root.crt"]);
 * anchors.der.length;
 * ```
 */
export async function loadTrustAnchors(files: readonly string[]): Promise<TrustAnchors> {
  const anchors: TrustAnchors = { pem: [], der: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      throw new InputError({
        message: `cannot read trust anchor ${file}: ${(e as Error).message}`,
        hint: "check the path of the CA certificate",
      });
    }
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (!pems.length) {
      throw new InputError({
        message: `${file} holds no PEM certificate`,
        hint: "give CA certificates in PEM",
      });
    }
    for (const pem of pems) {
      anchors.pem.push(pem);
      anchors.der.push(new Uint8Array(new X509Certificate(pem).raw));
    }
  }
  return anchors;
}
