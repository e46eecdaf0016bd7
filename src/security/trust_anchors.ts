import { X509Certificate } from "node:crypto";
import { InputError } from "../yaml/input_error.ts";
import { INPUT_LIMITS, readInputFile } from "../yaml/read_input.ts";

/** Trust anchors as `node:tls` takes them (PEM) and as our verifier does (DER). */
export interface TrustAnchors {
  /** Each anchor as PEM text, for `node:tls`. */
  pem: string[];
  /** Each anchor as DER, for our verifier. */
  der: Uint8Array[];
}

/**
 * Reads trust anchor files: PEM (each may hold several certificates) or one
 * DER certificate, whatever the file's name (`dicomtls pki` writes both,
 * `root.crt` and `root.der`).
 *
 * @example
 * ```ts
 * import { loadTrustAnchors } from "./trust_anchors.ts";
 * const anchors = await loadTrustAnchors(["pki/root.crt", "pki/intermediate.der"]);
 * anchors.der.length; // 2
 * ```
 */
export async function loadTrustAnchors(files: readonly string[]): Promise<TrustAnchors> {
  const anchors: TrustAnchors = { pem: [], der: [] };
  for (const file of files) {
    // Bounded: a CA bundle is a few hundred KiB; /dev/zero never ends. Its error is an
    // InputError already: `cannot read trust anchor FILE: REASON (hint: ...)`.
    const bytes = await readInputFile(file, {
      what: "trust anchor",
      maxBytes: INPUT_LIMITS.credentials,
      hint: "check the path of the CA certificate",
    });
    const text = new TextDecoder().decode(bytes);
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ??
      [derAsPem(bytes)].filter((p) => p !== undefined);
    if (!pems.length) {
      throw new InputError({
        message: `${file} holds no certificate (neither PEM nor DER)`,
        hint: "give CA certificates, in PEM (-----BEGIN CERTIFICATE-----) or DER",
      });
    }
    for (const pem of pems) {
      let raw: Uint8Array;
      try {
        raw = new Uint8Array(new X509Certificate(pem).raw);
      } catch (e) {
        throw new InputError({
          message: `${file} holds a certificate that does not parse: ${(e as Error).message}`,
          hint: "give CA certificates, in PEM (-----BEGIN CERTIFICATE-----) or DER",
        });
      }
      anchors.pem.push(pem);
      anchors.der.push(raw);
    }
  }
  return anchors;
}

// One DER certificate as PEM; undefined when the bytes are not one.
function derAsPem(bytes: Uint8Array): string | undefined {
  // A DER certificate is a SEQUENCE (0x30); anything else is not worth parsing.
  if (bytes[0] !== 0x30) return undefined;
  try {
    return new X509Certificate(bytes).toString().trim();
  } catch {
    return undefined;
  }
}
