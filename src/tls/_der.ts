// A DER reader for the few structures the path checker reads (X.509 v3
// certificates, RFC 5280). The general ASN.1 library (@peculiar/x509) took
// ~145 ms of a one-shot `dicomtls echo`'s 390 ms to load (--cpu-prof,
// 2026-11-30): it now loads only for CRLs and for signatures node:crypto
// cannot check. Every read is bounded by its container; bad input throws.

/** One DER element: its tag and where its content lies in the bytes. */
export interface _Tlv {
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset after the last content byte. */
  end: number;
  /** Offset of the tag byte. */
  at: number;
}

/** The element at `at`, which must end by `limit`. */
export function _readTlv(bytes: Uint8Array, at: number, limit = bytes.length): _Tlv {
  if (at + 2 > limit) throw new Error(`DER: truncated element at byte ${at}`);
  const tag = bytes[at];
  if ((tag & 0x1f) === 0x1f) throw new Error(`DER: multi-byte tag at byte ${at}`);
  let length = bytes[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new Error(`DER: bad length at byte ${at}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[start++];
  }
  const end = start + length;
  if (end > limit) throw new Error(`DER: element at byte ${at} runs past its container`);
  return { tag, start, end, at };
}

/** The elements inside a constructed element (a SEQUENCE, a SET, an explicit tag). */
export function _children(bytes: Uint8Array, parent: _Tlv): _Tlv[] {
  const out: _Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = _readTlv(bytes, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The element's content bytes. */
export function _content(bytes: Uint8Array, t: _Tlv): Uint8Array {
  return bytes.subarray(t.start, t.end);
}

/** An OBJECT IDENTIFIER in dotted form. */
export function _oid(bytes: Uint8Array, t: _Tlv): string {
  if (t.tag !== 0x06 || t.end === t.start) throw new Error(`DER: not an OID at byte ${t.at}`);
  const arcs: number[] = [];
  let value = 0;
  for (let i = t.start; i < t.end; i++) {
    value = value * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = Math.min(2, Math.floor(arcs[0] / 40));
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join(".");
}

/** Content bytes as lowercase hex. */
export function _hex(bytes: Uint8Array, t: _Tlv): string {
  let s = "";
  for (let i = t.start; i < t.end; i++) s += bytes[i].toString(16).padStart(2, "0");
  return s;
}

/** A UTCTime or GeneralizedTime (RFC 5280 4.1.2.5: UTC, seconds, "Z"). */
export function _time(bytes: Uint8Array, t: _Tlv): Date {
  const text = new TextDecoder("latin1").decode(_content(bytes, t));
  const m = t.tag === 0x17
    ? text.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/)
    : t.tag === 0x18
    ? text.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/)
    : null;
  if (!m) throw new Error(`DER: not a UTC time at byte ${t.at}: ${JSON.stringify(text)}`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), +m[4], +m[5], +m[6]));
}
