/** Which limit closed a connection at once, and where it stood. */
export interface LimitHit {
  /** "connections": open connections in all; "per-address": from this peer address. */
  limit: "connections" | "per-address";
  /** Connections open when it came (for `per-address`, from that address). */
  open: number;
  /** The limit. */
  max: number;
}

/**
 * Counts open connections, in all and per peer address, and says whether
 * one more may come in. Every admitted connection must be released once.
 */
export class _ConnectionLimits {
  #total = 0;
  #byAddress = new Map<string, number>();
  #max: number;
  #maxPerAddress: number;

  constructor(options: { max: number; maxPerAddress?: number }) {
    this.#max = options.max;
    this.#maxPerAddress = options.maxPerAddress ?? Infinity;
  }

  /** Admits a connection from `address`, or says which limit it hit (nothing is counted then). */
  admit(address: string): LimitHit | undefined {
    const fromAddress = this.#byAddress.get(address) ?? 0;
    if (this.#total >= this.#max) {
      return { limit: "connections", open: this.#total, max: this.#max };
    }
    if (fromAddress >= this.#maxPerAddress) {
      return { limit: "per-address", open: fromAddress, max: this.#maxPerAddress };
    }
    this.#total++;
    this.#byAddress.set(address, fromAddress + 1);
    return undefined;
  }

  /** A connection admitted from `address` closed. */
  release(address: string): void {
    this.#total--;
    const left = (this.#byAddress.get(address) ?? 1) - 1;
    if (left > 0) this.#byAddress.set(address, left);
    else this.#byAddress.delete(address);
  }
}
