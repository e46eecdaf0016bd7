import type { TlsAlert } from "../../outcome/mod.ts";
import { tlsAlert } from "../alerts.ts";

const HEADER = 5;
const ALERT = 21;
/** RFC 8446 5.1/5.2: the largest record body (TLSCiphertext) plus some slack. */
const MAX_RECORD = 16_384 + 2_048 + 256;

/**
 * Follows one direction of a TLS byte stream record by record and keeps the
 * first fatal alert sent in the clear (content type 21, two-byte body). An
 * encrypted alert is longer than two bytes (TLS 1.2 after ChangeCipherSpec)
 * or hides inside application_data records (TLS 1.3), so it is never misread.
 * Holds at most one record header; stops at the first byte that is not TLS.
 *
 * @example
 * ```ts
 * const scanner = new AlertScanner();
 * scanner.push(new Uint8Array([21, 3, 3, 0, 2, 2, 40]));
 * scanner.fatal; // { name: "handshake_failure", code: 40 }
 * ```
 */
export class AlertScanner {
  #header = new Uint8Array(HEADER);
  #headerFill = 0;
  #skip = 0;
  #alertBytes: number[] | null = null;
  #stopped = false;
  /** The first fatal alert seen in the clear. */
  fatal?: TlsAlert;

  /** Whether the stream stopped looking like TLS records. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Adds bytes of this direction, in order. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.#stopped && !this.fatal) {
      if (this.#alertBytes) {
        this.#alertBytes.push(chunk[at++]);
        if (this.#alertBytes.length === 2) this.#onAlert(this.#alertBytes);
      } else if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - at);
        this.#skip -= n;
        at += n;
      } else {
        this.#header[this.#headerFill++] = chunk[at++];
        if (this.#headerFill === HEADER) this.#onHeader();
      }
    }
  }

  #onHeader(): void {
    this.#headerFill = 0;
    const [type, major] = this.#header;
    const length = (this.#header[3] << 8) | this.#header[4];
    if (type < 20 || type > 24 || major !== 3 || length > MAX_RECORD) {
      this.#stopped = true;
    } else if (type === ALERT && length === 2) {
      this.#alertBytes = [];
    } else {
      this.#skip = length;
    }
  }

  #onAlert([level, description]: number[]): void {
    this.#alertBytes = null;
    if (level === 2) this.fatal = tlsAlert(description);
  }
}
