// @ts-self-types="./_frames.d.ts"
// The frame codec between dicomtls (Deno) and its OpenSSL helper (Node.js):
// plain JavaScript so that both runtimes load this one file. Types are in
// _frames.d.ts.
//
// A frame is: type (1 byte) + payload length (4 bytes, big-endian) + payload.

/** Frame types. */
export const FRAME = Object.freeze({ CONTROL: 1, CIPHERTEXT: 2, PLAINTEXT: 3 });

/** Largest ciphertext or plaintext payload: a few TLS records. */
export const MAX_DATA_PAYLOAD = 64 * 1024;

/** Largest control payload (JSON): the open request carries PEM, the handshake result a chain. */
export const MAX_CONTROL_PAYLOAD = 4 * 1024 * 1024;

const HEADER = 5;

/** A frame the decoder refused: unknown type or a length above its bound. */
export class FrameError extends Error {
  name = "FrameError";
}

/** The header of a frame. */
export function frameHeader(type, length) {
  const header = new Uint8Array(HEADER);
  header[0] = type;
  new DataView(header.buffer).setUint32(1, length);
  return header;
}

/** One frame as bytes. Data payloads longer than MAX_DATA_PAYLOAD must be split first. */
export function encodeFrame(type, payload) {
  const max = type === FRAME.CONTROL ? MAX_CONTROL_PAYLOAD : MAX_DATA_PAYLOAD;
  if (payload.length > max) {
    throw new FrameError(`Cannot encode frame: payload of ${payload.length} bytes exceeds ${max}`);
  }
  const frame = new Uint8Array(HEADER + payload.length);
  frame.set(frameHeader(type, payload.length));
  frame.set(payload, HEADER);
  return frame;
}

/** The frames that carry `data` (any length), each at most MAX_DATA_PAYLOAD. */
export function encodeData(type, data) {
  const frames = [];
  for (let at = 0; at < data.length; at += MAX_DATA_PAYLOAD) {
    frames.push(encodeFrame(type, data.subarray(at, at + MAX_DATA_PAYLOAD)));
  }
  return frames;
}

/** A control frame carrying `message` as JSON. */
export function encodeControl(message) {
  return encodeFrame(FRAME.CONTROL, new TextEncoder().encode(JSON.stringify(message)));
}

/** The JSON object a control payload carries; a FrameError when it is not one. */
export function decodeControl(payload) {
  let message;
  try {
    message = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch (e) {
    throw new FrameError(`Cannot decode control frame: ${e.message}`);
  }
  if (message === null || typeof message !== "object" || typeof message.type !== "string") {
    throw new FrameError("Cannot decode control frame: not an object with a type");
  }
  return message;
}

/**
 * Turns a byte stream into whole frames. It checks type and length as soon
 * as the header is complete, before buffering any payload, so it never holds
 * more than one bounded frame; after an error every push throws it again.
 */
export class FrameDecoder {
  #header = new Uint8Array(HEADER);
  #headerFill = 0;
  #type = 0;
  #payload = null;
  #payloadFill = 0;
  #failed = null;

  /** Adds bytes; returns the frames they complete as `{ type, payload }`. */
  push(chunk) {
    if (this.#failed) throw this.#failed;
    const frames = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.#payload) {
        // A whole frame inside the chunk: no copy.
        if (this.#headerFill === 0 && chunk.length - at >= HEADER) {
          const length = this.#check(chunk[at], readLength(chunk, at + 1));
          if (chunk.length - at - HEADER >= length) {
            frames.push({
              type: chunk[at],
              payload: chunk.subarray(at + HEADER, at + HEADER + length),
            });
            at += HEADER + length;
            continue;
          }
        }
        const n = Math.min(HEADER - this.#headerFill, chunk.length - at);
        this.#header.set(chunk.subarray(at, at + n), this.#headerFill);
        this.#headerFill += n;
        at += n;
        if (this.#headerFill < HEADER) break;
        this.#type = this.#header[0];
        this.#payload = new Uint8Array(this.#check(this.#type, readLength(this.#header, 1)));
        this.#payloadFill = 0;
      }
      const n = Math.min(this.#payload.length - this.#payloadFill, chunk.length - at);
      this.#payload.set(chunk.subarray(at, at + n), this.#payloadFill);
      this.#payloadFill += n;
      at += n;
      if (this.#payloadFill === this.#payload.length) {
        frames.push({ type: this.#type, payload: this.#payload });
        this.#payload = null;
        this.#headerFill = 0;
      }
    }
    return frames;
  }

  /** Bytes held for an incomplete frame. */
  get bufferedBytes() {
    return this.#payload ? HEADER + this.#payloadFill : this.#headerFill;
  }

  #check(type, length) {
    const max = type === FRAME.CONTROL
      ? MAX_CONTROL_PAYLOAD
      : type === FRAME.CIPHERTEXT || type === FRAME.PLAINTEXT
      ? MAX_DATA_PAYLOAD
      : -1;
    if (max < 0) this.#failed = new FrameError(`Cannot decode frame: unknown type ${type}`);
    else if (length > max) {
      this.#failed = new FrameError(
        `Cannot decode frame: type ${type} declares ${length} bytes, more than ${max}`,
      );
    }
    if (this.#failed) throw this.#failed;
    return length;
  }
}

function readLength(bytes, at) {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

// Flow control. Each data stream (ciphertext and plaintext, each way) has a
// credit window: a sender may have at most WINDOW bytes of it unacknowledged;
// the receiver hands the bytes on and returns credit once its next stage
// took them. So a stream whose consumer is slow stops only itself: the
// connection is always read, and nothing waits behind it (stopping the whole
// connection deadlocks two conversations that both write and read).

/** Bytes of one stream a sender may have in flight. */
export const WINDOW = 256 * 1024;

/** Credit is returned in batches of at least this many bytes. */
export const CREDIT_BATCH = 32 * 1024;

/** The sending side of one stream's window. */
export class SendWindow {
  #available = WINDOW;
  #onOpen;

  /** `onOpen` runs when a closed window opens again. */
  constructor(onOpen) {
    this.#onOpen = onOpen;
  }

  /** Whether more may be sent now. */
  get open() {
    return this.#available > 0;
  }

  /** Counts `n` bytes sent; returns whether the window is still open. */
  take(n) {
    this.#available -= n;
    return this.#available > 0;
  }

  /** Credit came back. */
  give(n) {
    const wasOpen = this.#available > 0;
    this.#available += n;
    if (!wasOpen && this.#available > 0) this.#onOpen();
  }
}

/** The receiving side of one stream: returns credit once bytes were taken on. */
export class CreditReturn {
  #send;
  #pending = 0;
  #held = 0;
  #blocked = false;

  /** `send(bytes)` returns credit to the sender. */
  constructor(send) {
    this.#send = send;
  }

  /**
   * `n` bytes were handed to the next stage; `accepted` is what its write or
   * push returned. When false, their credit waits for `drained()`.
   */
  delivered(n, accepted) {
    if (this.#blocked || !accepted) {
      this.#blocked = true;
      this.#held += n;
    } else this.#add(n);
  }

  /** The next stage can take more: credit what it held. */
  drained() {
    if (!this.#blocked) return;
    this.#blocked = false;
    const held = this.#held;
    this.#held = 0;
    this.#add(held);
  }

  /** Whether the next stage is full (the caller waits for its drain). */
  get blocked() {
    return this.#blocked;
  }

  #add(n) {
    this.#pending += n;
    if (this.#pending >= CREDIT_BATCH) {
      const credit = this.#pending;
      this.#pending = 0;
      this.#send(credit);
    }
  }
}
