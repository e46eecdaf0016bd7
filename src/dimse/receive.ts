import { type Association, AssociationTimeout, type Pdv } from "../ul/mod.ts";
import { type CommandSet, decodeCommand, DimseError, NO_DATA_SET } from "./command.ts";
import type { DimseMessage } from "./message.ts";
import { DimsePeerViolation } from "./peer_violation.ts";

/** Where a data set goes as its fragments arrive, instead of into memory. */
export interface DatasetSink {
  /**
   * Takes the next fragment (its bytes stay valid). While a returned promise
   * is pending nothing more is read from the peer (backpressure). A throw
   * aborts the association.
   */
  write(fragment: Uint8Array): void | Promise<void>;
  /** The message did not complete (abort, close, timeout, violation): drop what was written. */
  abandon?(): void | Promise<void>;
}

/** Options of {@linkcode receiveMessage}. */
export interface ReceiveOptions {
  /** Longest time for the whole message, from the call; default 30 000 ms. */
  timeoutMs?: number;
  /** Longest wait for each P-DATA-TF; default `timeoutMs`. */
  idleTimeoutMs?: number;
  /** Largest command set; default {@linkcode MAX_COMMAND_LENGTH}. Past it: a violation. */
  maxCommandLength?: number;
  /**
   * Largest data set held in memory; default {@linkcode MAX_DATASET_LENGTH}.
   * Past it the association is aborted and {@linkcode DimseLimitExceeded}
   * thrown. A data set that goes to a `sink` is not held, nor limited here.
   */
  maxDatasetLength?: number;
  /**
   * Called once the command set is decoded when a data set follows: a sink
   * takes the data set fragment by fragment (the message then has no
   * `dataset`, only `datasetLength`); undefined holds it in memory.
   */
  sink?: (message: { contextId: number; command: CommandSet }) => DatasetSink | undefined;
}

/** Default largest command set: PS3.7 command sets are a few hundred bytes. */
export const MAX_COMMAND_LENGTH = 64 * 1024;
/** Default largest data set held in memory. */
export const MAX_DATASET_LENGTH = 64 * 1024 * 1024;

/**
 * A command set or data set larger than the receiver allows: the peer
 * broke the receiver's limit (the association was aborted).
 *
 * @example
 * ```ts
 * import { DimseLimitExceeded } from "./receive.ts";
 * const e = new DimseLimitExceeded({ what: "data set", limit: 1024 });
 * e.message; // "Cannot receive DIMSE message: the peer's data set exceeds the limit of 1024 bytes"
 * ```
 */
export class DimseLimitExceeded extends DimseError {
  /** The error name, "DimseLimitExceeded". */
  override name = "DimseLimitExceeded";
  /** "command set" or "data set". */
  readonly what: string;
  /** The limit, in bytes. */
  readonly limit: number;
  /** An error for a message part over `limit` bytes. */
  constructor(options: { what: string; limit: number }) {
    super(
      `Cannot receive DIMSE message: the peer's ${options.what} exceeds the limit of ${options.limit} bytes`,
    );
    this.what = options.what;
    this.limit = options.limit;
  }
}

/**
 * Receives the next DIMSE message, reassembling command and data set PDVs,
 * or `null` when the peer asked to release instead (answer with
 * `association.release()`). Every part read from the peer is bounded: the
 * command set and an in-memory data set by size, each P-DATA-TF and the
 * whole message by time; a data set may stream to a `sink` instead. Throws
 * DimseError for fragments that break PS3.8 Annex E or arrive on a
 * presentation context that was not accepted, DimseLimitExceeded for a part
 * over its limit (both after aborting), and the association's typed errors.
 *
 * @example
 * ```ts
 * import { receiveMessage } from "./receive.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * const message = await receiveMessage(association, { timeoutMs: 10_000, maxDatasetLength: 1 << 20 });
 * if (message === null) await association.release();
 * ```
 */
export async function receiveMessage(
  association: Association,
  options: ReceiveOptions = {},
): Promise<DimseMessage | null> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const began = performance.now();
  const deadline = began + timeoutMs;
  const assembly = new _Assembly(association, options);
  let wait = 0;
  try {
    while (true) {
      wait = Math.min(options.idleTimeoutMs ?? timeoutMs, deadline - performance.now());
      const pdvs: Pdv[] | null = await association.receivePData({ timeoutMs: Math.max(1, wait) });
      if (pdvs === null) {
        if (assembly.empty) return null;
        throw await assembly.violation("the peer asked to release in the middle of a message");
      }
      for (const pdv of pdvs) {
        const added = assembly.add(pdv);
        const message = added instanceof Promise ? await added : added;
        if (message) return message;
      }
    }
  } catch (e) {
    await assembly.abandon();
    throw wholeWait(e, {
      began,
      deadlineHit: wait < (options.idleTimeoutMs ?? Infinity),
      assembly,
    });
  }
}

// The message's deadline ran out during the last of several waits: the
// timeout says how long the whole message took, not that last slice, and
// what was still missing. An idle timeout (no P-DATA-TF for idleTimeoutMs)
// is already true as it is.
function wholeWait(
  e: unknown,
  o: { began: number; deadlineHit: boolean; assembly: _Assembly },
): unknown {
  if (!(e instanceof AssociationTimeout) || !o.deadlineHit) return e;
  return new AssociationTimeout({
    waitingFor: o.assembly.empty ? e.waitingFor : `the rest of a DIMSE message (${e.waitingFor})`,
    timeoutMs: performance.now() - o.began,
    state: e.state,
  });
}

/** Default largest data set in a response to our request (C-ECHO-RSP and C-STORE-RSP carry none). */
export const MAX_RESPONSE_DATASET_LENGTH = 64 * 1024;

/**
 * Receives the response to our `request` (e.g. "C-ECHO"): a data set or
 * command set over its limit (default {@linkcode MAX_RESPONSE_DATASET_LENGTH}
 * for the data set), and every other break of PS3.8 Annex E that
 * {@linkcode receiveMessage} finds, is a protocol violation of the peer,
 * thrown as a DimseError that says so once the association is aborted, at the latest by
 * `timeoutMs` however slowly or endlessly it comes.
 *
 * @example
 * ```ts
 * import { receiveResponse } from "./receive.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * const answer = await receiveResponse(association, "C-ECHO", { timeoutMs: 5000 });
 * ```
 */
export async function receiveResponse(
  association: Association,
  request: string,
  options: ReceiveOptions = {},
): Promise<DimseMessage | null> {
  const maxDatasetLength = options.maxDatasetLength ?? MAX_RESPONSE_DATASET_LENGTH;
  try {
    return await receiveMessage(association, { ...options, maxDatasetLength });
  } catch (e) {
    // Every DimseError of receiveMessage is the peer's, once the association is aborted.
    if (!(e instanceof DimseError)) throw e;
    const what = e instanceof DimseLimitExceeded
      ? `the ${e.what} of its response exceeds ${e.limit} bytes`
      : e.message.replace(/^Cannot receive DIMSE message: /, "");
    throw new DimsePeerViolation({ operation: request, violation: what, cause: e });
  }
}

/** One message being put together from its PDVs (PS3.8 Annex E). */
class _Assembly {
  #association: Association;
  #options: ReceiveOptions;
  #contextId?: number;
  #command?: CommandSet;
  /** The command set, then a data set held in memory, as far as they came. */
  #bytes = new _Fragments();
  /** The bytes of a data set that went to a sink. */
  #streamed = 0;
  #sink?: DatasetSink;
  #accepted?: Set<number>;

  constructor(association: Association, options: ReceiveOptions) {
    this.#association = association;
    this.#options = options;
  }

  get empty(): boolean {
    return this.#contextId === undefined;
  }

  /**
   * Takes one PDV; the message once it is complete. Synchronous unless a
   * sink takes the fragment or the PDV ends the association: it runs for
   * every PDV, and a peer may send thousands in each P-DATA-TF.
   */
  add(pdv: Pdv): DimseMessage | undefined | Promise<DimseMessage | undefined> {
    const wrong = this.#wrong(pdv);
    if (wrong) return this.violation(wrong).then(thrown);
    if (pdv.isCommand) return this.#addCommand(pdv);
    const sink = this.#sink;
    if (sink) {
      this.#streamed += pdv.data.length;
      return this.#write(sink, pdv.data).then(() => this.#ended(pdv));
    }
    const limit = this.#options.maxDatasetLength ?? MAX_DATASET_LENGTH;
    if (!this.#bytes.add(pdv.data, limit)) return this.#exceeded("data set", limit).then(thrown);
    return this.#ended(pdv);
  }

  // After a data set fragment: the message if it was the last.
  #ended(pdv: Pdv): DimseMessage | undefined {
    if (!pdv.isLast) return undefined;
    const message = { contextId: this.#contextId!, command: this.#command! };
    const streamed = this.#sink !== undefined;
    this.#sink = undefined;
    return streamed
      ? { ...message, datasetLength: this.#streamed }
      : { ...message, dataset: this.#bytes.take() };
  }

  async #write(sink: DatasetSink, fragment: Uint8Array): Promise<void> {
    try {
      await sink.write(fragment);
    } catch (e) {
      await this.#association.abort();
      throw e;
    }
  }

  /** Aborts the association; the error to throw. */
  async violation(what: string): Promise<DimseError> {
    await this.#association.abort();
    return new DimseError(`Cannot receive DIMSE message: ${what}`);
  }

  /** The message will not complete: the sink drops what it took. */
  async abandon(): Promise<void> {
    const sink = this.#sink;
    this.#sink = undefined;
    await sink?.abandon?.();
  }

  // Synchronous, and the accepted contexts looked up once: it runs for every PDV.
  #wrong(pdv: Pdv): string | undefined {
    this.#accepted ??= new Set(this.#association.acceptedContexts.map((c) => c.id));
    if (!this.#accepted.has(pdv.contextId)) {
      return `PDV on presentation context ${pdv.contextId}, never accepted`;
    }
    this.#contextId ??= pdv.contextId;
    if (pdv.contextId !== this.#contextId) {
      return `PDV on context ${pdv.contextId} inside a message on context ${this.#contextId}`;
    }
    if (pdv.isCommand !== (this.#command === undefined)) {
      return this.#command
        ? "a command fragment after the command ended"
        : "a data set fragment before the command ended";
    }
    return undefined;
  }

  #addCommand(pdv: Pdv): DimseMessage | undefined | Promise<never> {
    const limit = this.#options.maxCommandLength ?? MAX_COMMAND_LENGTH;
    if (!this.#bytes.add(pdv.data, limit)) return this.#exceeded("command set", limit).then(thrown);
    if (!pdv.isLast) return undefined;
    try {
      this.#command = decodeCommand(this.#bytes.take());
    } catch (e) {
      return this.violation((e as Error).message).then(thrown);
    }
    const message = { contextId: this.#contextId!, command: this.#command };
    if (this.#command.CommandDataSetType === NO_DATA_SET) return message;
    this.#sink = this.#options.sink?.(message);
    return undefined;
  }

  async #exceeded(what: string, limit: number): Promise<DimseLimitExceeded> {
    await this.#association.abort();
    return new DimseLimitExceeded({ what, limit });
  }
}

function thrown(e: Error): never {
  throw e;
}

/**
 * What one PDV counts against a limit at the least: a peer's 1-byte or
 * empty PDVs (6 bytes of PDV item header each) cost us their handling and
 * must end at the limit as soon as real fragments would, not after 16
 * million of them. PDVs of a message part are as large as the PDU allows
 * but the last, so only the last may count for more than it holds.
 */
export const MIN_PDV_CHARGE = 64;

/**
 * The fragments of a command set or of a data set held in memory, copied
 * into one buffer that doubles as needed (up to the limit): a fragment
 * costs its bytes, nothing more. Kept as they came, each PDV was a view of
 * its own, some 100 bytes of object that kept its whole PDU alive: a peer
 * that sent a 16 MiB data set as 1-byte PDVs took 2.1 GB. A part in one
 * PDV (the usual command set) is kept as that view, uncopied.
 */
class _Fragments {
  #first?: Uint8Array;
  #buffer?: Uint8Array;
  #length = 0;
  /** What the fragments count against the limit: {@linkcode MIN_PDV_CHARGE} each at least. */
  #charged = 0;

  /** Adds a fragment; false, and nothing kept, when it takes the part over `limit` bytes. */
  add(fragment: Uint8Array, limit: number): boolean {
    this.#charged += Math.max(fragment.length, MIN_PDV_CHARGE);
    // The last fragment counts what it holds: a part exactly at the limit is allowed.
    if (this.#length + fragment.length > limit || this.#charged > limit + MIN_PDV_CHARGE) {
      return false;
    }
    if (this.#buffer === undefined && this.#first === undefined) {
      this.#first = fragment;
      this.#length = fragment.length;
      return true;
    }
    const need = this.#length + fragment.length;
    if (this.#buffer === undefined || need > this.#buffer.length) {
      const grown = new Uint8Array(Math.min(limit, Math.max(need, 2 * this.#length, 4096)));
      grown.set(this.#buffer?.subarray(0, this.#length) ?? this.#first!);
      this.#buffer = grown;
      this.#first = undefined;
    }
    this.#buffer.set(fragment, this.#length);
    this.#length = need;
    return true;
  }

  /** The part's bytes; the collector is empty again. */
  take(): Uint8Array {
    const bytes = this.#buffer?.subarray(0, this.#length) ?? this.#first ?? new Uint8Array(0);
    this.#first = this.#buffer = undefined;
    this.#length = this.#charged = 0;
    return bytes;
  }
}
