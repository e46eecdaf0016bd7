import { decodePdu } from "../../ul/decode.ts";
import { PDU_TYPE_CODES, type PduType } from "../../ul/pdu.ts";
import { PduError } from "../../ul/pdu_error.ts";
import { _printable, _toHex } from "./_reader.ts";
import { parseRecordHeader } from "./record.ts";
import type { FirstBytes, FirstBytesKind, FirstPdu } from "../../outcome/wire.ts";
export type { FirstBytes, FirstBytesKind, FirstPdu };

/**
 * How many first bytes a classification keeps as hex.
 *
 * @example
 * ```ts
 * classifyFirstBytes(new Uint8Array(100)).hex.length === 2 * FIRST_BYTES_HEX; // true
 * ```
 */
export const FIRST_BYTES_HEX = 32;

const HTTP = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PRI) |^HTTP\/\d/;
const PDU_NAMES = Object.fromEntries(
  Object.entries(PDU_TYPE_CODES).map(([name, code]) => [code, name as PduType]),
);

/**
 * Classifies the first bytes a peer sent (pass what arrived, ideally a few
 * hundred bytes): a TLS record, an SSLv2 ClientHello or ServerHello, a DICOM PDU (types 0x01-0x07
 * with a plausible length; A-ASSOCIATE-RQ AE titles, A-ASSOCIATE-RJ and
 * A-ABORT reasons decoded), HTTP, SSH, or unknown. Pure; never throws.
 *
 * @example
 * ```ts
 * classifyFirstBytes(new Uint8Array([7, 0, 0, 0, 0, 4, 0, 0, 2, 2])).description;
 * // "a DICOM A-ABORT (service-provider, unexpected-pdu)"
 * classifyFirstBytes(new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\n")).kind; // "http"
 * ```
 */
export function classifyFirstBytes(bytes: Uint8Array): FirstBytes {
  const hex = _toHex(bytes.subarray(0, FIRST_BYTES_HEX));
  const header = parseRecordHeader(bytes);
  if (header && !("error" in header)) {
    return {
      kind: "tls",
      hex,
      description: `a TLS ${header.contentTypeName} record (${header.version.name})`,
    };
  }
  const pdu = _dicomPdu(bytes);
  if (pdu) return { kind: "dicom-pdu", hex, pdu, description: _describePdu(pdu) };
  const text = _printable(bytes.subarray(0, 256), 256);
  const line = text.split("\\x0d")[0].split("\\x0a")[0];
  if (HTTP.test(text)) {
    const startLine = line.slice(0, 80);
    return { kind: "http", hex, startLine, description: `HTTP ("${startLine}")` };
  }
  if (text.startsWith("SSH-")) {
    return { kind: "ssh", hex, banner: line.slice(0, 80), description: `an SSH server or client` };
  }
  // SSLv2 CLIENT-HELLO: 2-byte header with the high bit set, message type 1, version 0x0002-0x0303.
  if (bytes.length >= 5 && (bytes[0] & 0x80) && bytes[2] === 1 && bytes[3] <= 3) {
    return { kind: "sslv2", hex, description: "an SSLv2-format ClientHello" };
  }
  // SSLv2 SERVER-HELLO: type 4, session-id-hit 0 or 1, certificate type 1 (X.509), version 0x0002.
  const sslv2Server = bytes[2] === 4 && bytes[3] <= 1 && bytes[4] === 1 && bytes[5] === 0;
  if (bytes.length >= 7 && (bytes[0] & 0x80) && sslv2Server && bytes[6] === 2) {
    return { kind: "sslv2", hex, description: "an SSLv2 ServerHello (an SSLv2-only server)" };
  }
  return {
    kind: "unknown",
    hex,
    description: bytes.length === 0 ? "no bytes" : `${bytes.length} bytes of unknown content`,
  };
}

function _dicomPdu(bytes: Uint8Array): FirstPdu | undefined {
  if (bytes.length < 6 || bytes[1] !== 0) return undefined;
  const type = PDU_NAMES[bytes[0]];
  if (!type) return undefined;
  const length = ((bytes[2] << 24) >>> 0) + ((bytes[3] << 16) | (bytes[4] << 8) | bytes[5]);
  const fixed = type === "A-ASSOCIATE-RJ" || type === "A-RELEASE-RQ" ||
    type === "A-RELEASE-RP" || type === "A-ABORT";
  if (fixed ? length !== 4 : length < 6 || length > 0x1000_0000) return undefined;
  const pdu: FirstPdu = { type, length };
  if (bytes.length >= 6 + length) {
    const decoded = decodePdu(bytes.subarray(0, 6 + length));
    if (!(decoded instanceof PduError)) {
      if (decoded.type === "A-ASSOCIATE-RJ") {
        pdu.reject = { result: decoded.result, source: decoded.source, reason: decoded.reason };
      }
      if (decoded.type === "A-ABORT") {
        pdu.abort = { source: decoded.source, reason: decoded.reason };
      }
    }
  }
  // AE titles sit at fixed offsets (PS3.8 9.3.2), readable before the whole PDU came.
  if ((type === "A-ASSOCIATE-RQ" || type === "A-ASSOCIATE-AC") && bytes.length >= 42) {
    // As sent (as the decoder reads them): whoever prints them escapes them, toJson or terminalSafe.
    pdu.calledAe = aeTitle(bytes.subarray(10, 26));
    pdu.callingAe = aeTitle(bytes.subarray(26, 42));
  }
  return pdu;
}

function _describePdu(pdu: FirstPdu): string {
  if (pdu.abort) return `a DICOM A-ABORT (${pdu.abort.source}, ${pdu.abort.reason})`;
  if (pdu.reject) {
    return `a DICOM A-ASSOCIATE-RJ (${pdu.reject.result}, ${pdu.reject.source}, ${pdu.reject.reason})`;
  }
  if (pdu.callingAe !== undefined) {
    const shown = (ae = "") => _printable(new Uint8Array([...ae].map((c) => c.charCodeAt(0))));
    return `a DICOM ${pdu.type} (calling AE "${shown(pdu.callingAe)}", called AE "${
      shown(pdu.calledAe)
    }")`;
  }
  return `a DICOM ${pdu.type}`;
}

// An AE title field as the PDU decoder reads it: Latin-1, trailing spaces and NULs dropped, leading spaces too.
function aeTitle(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s.replace(/[ \0]+$/, "").trimStart();
}
