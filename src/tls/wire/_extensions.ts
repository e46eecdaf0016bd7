import { _DecodeError, _printable, _Reader } from "./_reader.ts";
import { extensionTypeRef } from "./names.ts";
import type { ExtensionRef } from "../../outcome/wire.ts";
export type { ExtensionRef };

/** A hello's extensions: the list for reports and each one's data by type. */
export interface _Extensions {
  list: ExtensionRef[];
  data: Map<number, Uint8Array>;
}

// A hello cannot hold more than 64 KiB of extensions; 4 bytes each at least.
const MAX_EXTENSIONS = 16384;

/** Reads the extensions block at the end of a hello; absent (SSLv3 style) gives an empty list. */
export function _readExtensions(r: _Reader): _Extensions {
  const result: _Extensions = { list: [], data: new Map() };
  if (r.remaining === 0) return result;
  const block = r.sub(2, "extensions");
  while (block.remaining > 0 && result.list.length < MAX_EXTENSIONS) {
    const type = block.u16("extension type");
    const data = block.vector(2, `extension ${type}`);
    // RFC 8446 4.2: one extension of a type at most; keep the first, list both.
    if (!result.data.has(type)) result.data.set(type, data);
    result.list.push({ ...extensionTypeRef(type), length: data.length });
  }
  return result;
}

/** RFC 6066 3: the host_name of server_name, made printable. */
export function _serverName(data: Uint8Array): string | undefined {
  const list = new _Reader(data, "server_name").sub(2, "server_name_list");
  while (list.remaining > 0) {
    const type = list.u8("name type");
    const name = list.vector(2, "host name");
    if (type === 0) return _printable(name);
  }
  return undefined;
}

/** RFC 7301 3.1: protocol names, made printable. */
export function _alpn(data: Uint8Array): string[] {
  const list = new _Reader(data, "application_layer_protocol_negotiation").sub(2, "protocols");
  const out: string[] = [];
  while (list.remaining > 0) out.push(_printable(list.vector(1, "protocol name"), 64));
  return out;
}

/** RFC 8446 4.2.8: the groups of a client's key shares (ClientHello). */
export function _keyShareGroups(data: Uint8Array): number[] {
  const list = new _Reader(data, "key_share").sub(2, "client_shares");
  const out: number[] = [];
  while (list.remaining > 0) {
    out.push(list.u16("group"));
    list.vector(2, "key_exchange");
  }
  return out;
}

/** A 16-bit list with a 2-byte length (supported_groups, signature_algorithms). */
export function _u16List(data: Uint8Array, what: string): number[] {
  return new _Reader(data, what).u16List(2, what);
}

/**
 * The 16-bit value an extension starts with: ServerHello supported_versions
 * (`exact`: nothing may follow), or the group of a ServerHello or
 * HelloRetryRequest key_share.
 */
export function _u16(data: Uint8Array, what: string, exact: boolean): number {
  const r = new _Reader(data, what);
  const v = r.u16(what);
  if (exact && r.remaining !== 0) {
    throw new _DecodeError(`${what}: ${r.remaining} bytes after the value`);
  }
  return v;
}
