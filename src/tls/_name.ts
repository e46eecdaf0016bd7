import { _children, _content, _hex, _oid, type _Tlv } from "./_der.ts";

// Attribute types by their short names, as RFC 4514 and @peculiar/x509 (which
// wrote these strings before, and still does for CRL issuers) spell them.
const SHORT: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
  "2.5.4.42": "G",
  "2.5.4.43": "I",
  "2.5.4.4": "SN",
  "2.5.4.12": "T",
};

/**
 * A distinguished name as text, "CN=client, O=dicomtls test": RDNs in their
 * encoded order joined by ", ", multi-valued ones by "+", special characters
 * escaped, a value of a type other than a string as "#" and its DER in hex.
 */
export function _nameText(bytes: Uint8Array, name: _Tlv): string {
  return _children(bytes, name).map((rdn) =>
    _children(bytes, rdn).map((attribute) => {
      const [type, value] = _children(bytes, attribute);
      const oid = _oid(bytes, type);
      const text = _stringValue(bytes, value);
      const hex = () => _hex(bytes, { ...value, start: value.at });
      return `${SHORT[oid] ?? oid}=${text === undefined ? `#${hex()}` : escape(text)}`;
    }).join("+")
  ).join(", ");
}

/** The text of a DirectoryString or IA5String; undefined for other types. */
export function _stringValue(bytes: Uint8Array, t: _Tlv): string | undefined {
  const content = _content(bytes, t);
  switch (t.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder().decode(content);
    case 0x13: // PrintableString
    case 0x14: // TeletexString
    case 0x16: // IA5String
      return new TextDecoder("latin1").decode(content);
    case 0x1e: // BMPString
      return new TextDecoder("utf-16be").decode(content);
    case 0x1c: { // UniversalString
      let s = "";
      const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
      for (let i = 0; i + 4 <= content.length; i += 4) {
        s += String.fromCodePoint(view.getUint32(i));
      }
      return s;
    }
  }
  return undefined;
}

function escape(text: string): string {
  return text
    .replace(/([,+"\\<>;])/g, "\\$1")
    .replace(/^([ #])/, "\\$1")
    .replace(/([ ]$)/, "\\$1")
    .replace(
      /([\r\n\t])/g,
      (c) =>
        `\\${
          [...new TextEncoder().encode(c)].map((b) => b.toString(16).padStart(2, "0")).join("")
            .toUpperCase()
        }`,
    );
}
