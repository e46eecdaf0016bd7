// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import "reflect-metadata";
export * as x509 from "@peculiar/x509";

/** A copy backed by a plain ArrayBuffer, as @peculiar/x509's types want. */
export function plain(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
