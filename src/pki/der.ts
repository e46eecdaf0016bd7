/**
 * PEM armour and thumbprints of DER objects.
 *
 * @example
 * ```ts
 * import { thumbprint, toPem } from "./der.ts";
 * declare const der: Uint8Array<ArrayBuffer>;
 * const text = toPem("CERTIFICATE", der);
 * const sha1 = await thumbprint(der, "SHA-1"); // "3F2A...", as Windows shows it
 * ```
 * @module
 */

/**
 * Wraps DER bytes in PEM armour (64-character lines).
 *
 * @example
 * ```ts
 * import { toPem } from "./der.ts";
 * declare const pkcs8: Uint8Array<ArrayBuffer>;
 * toPem("PRIVATE KEY", pkcs8); // "-----BEGIN PRIVATE KEY-----\n..."
 * ```
 */
export function toPem(label: string, der: Uint8Array<ArrayBuffer>): string {
  const b64 = btoa(String.fromCharCode(...der)).replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/**
 * The DER bytes of the first PEM block with `label`.
 *
 * @example
 * ```ts
 * import { fromPem } from "./der.ts";
 * const pkcs8 = fromPem(await Deno.readTextFile("client.key"), "PRIVATE KEY");
 * ```
 */
export function fromPem(text: string, label: string): Uint8Array<ArrayBuffer> {
  const match = text.match(new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`));
  if (!match) throw new Error(`Cannot read PEM: no ${label} block`);
  return Uint8Array.from(atob(match[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

/**
 * The SHA-1 or SHA-256 thumbprint of DER bytes: uppercase hex without
 * separators, as Windows and the thumbprint lists of DICOM SDKs show it.
 *
 * @example
 * ```ts
 * import { thumbprint } from "./der.ts";
 * await thumbprint(new Uint8Array([1]), "SHA-1"); // "BF8B4530D8D246DD74AC53A13471BBA17941DFF7"
 * ```
 */
export async function thumbprint(
  der: Uint8Array<ArrayBuffer>,
  hash: "SHA-1" | "SHA-256",
): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(hash, der));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}
