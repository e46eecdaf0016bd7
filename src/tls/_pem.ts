import { encodeBase64 } from "./wire/_base64.ts";

/** The DER of every `label` block in PEM text, in order; throws on bad base64. */
export function _pemBlocks(text: string, label = "CERTIFICATE"): Uint8Array[] {
  const blocks = text.matchAll(
    new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`, "g"),
  );
  return [...blocks].map((m) =>
    Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0))
  );
}

/** DER in PEM armour, 64 characters a line, without a final newline. */
export function _pem(der: Uint8Array, label = "CERTIFICATE"): string {
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join("\n");
}
