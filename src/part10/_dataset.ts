import { inflateRawSync } from "node:zlib";
import { Part10Error } from "./part10_error.ts";

/** The three encodings of a data set (PS3.5 7.1, 7.3): explicit/implicit VR, byte order. */
export interface Encoding {
  explicit: boolean;
  littleEndian: boolean;
}

const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";

// VRs with a 2-byte reserved field and a 32-bit length (PS3.5 Table 7.1-1).
const LONG_VRS = new Set([
  "OB",
  "OD",
  "OF",
  "OL",
  "OV",
  "OW",
  "SQ",
  "UC",
  "UN",
  "UR",
  "UT",
  "SV",
  "UV",
]);
const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQUENCE_END = 0xfffee0dd;
// Nesting deeper than any real data set; a hostile one is refused before the stack is.
const MAX_DEPTH = 32;

/** The most a deflated data set may inflate to (it is held whole to be walked). */
export const MAX_INFLATED = 64 * 2 ** 20;

/** A data set that does not parse: where and why. */
export class DatasetError extends Part10Error {
  /** The error name, "DatasetError". */
  override name = "DatasetError";
  /** An error saying `message` (and `hint`, how to fix it, when there is one). */
  constructor(message: string, options: { hint?: string } = {}) {
    super({ message, hint: options.hint });
  }
}

/**
 * The data set's bytes as the walker reads them: inflated for the deflated
 * transfer syntax (PS3.5 A.5), else as they are.
 */
export function datasetBytes(bytes: Uint8Array, transferSyntax: string): Uint8Array {
  if (transferSyntax !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return bytes;
  try {
    // Bounded: a deflate bomb of 1 MB inflates to 1 GB (the former bound, 1 GiB, took 1.1 GB
    // and 17 s); deflate is for data sets without pixel data (PS3.5 A.5), far smaller.
    return inflateRawSync(bytes, { maxOutputLength: MAX_INFLATED });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new DatasetError(
        `the deflated data set inflates to more than ${MAX_INFLATED / 2 ** 20} MiB ` +
          "(a deflate bomb?)",
        { hint: "send it in another transfer syntax: dcmconv +te FILE OUT.dcm" },
      );
    }
    throw new DatasetError(`the deflated data set does not inflate: ${(e as Error).message}`);
  }
}

/** The encoding a transfer syntax names; every other one is explicit VR little endian. */
export function encodingOf(transferSyntax: string): Encoding {
  return {
    explicit: transferSyntax !== IMPLICIT_VR_LITTLE_ENDIAN,
    littleEndian: transferSyntax !== EXPLICIT_VR_BIG_ENDIAN,
  };
}

/**
 * Walks a whole data set, checking that every element, sequence, item and
 * encapsulated fragment fits where it is (PS3.5 7.1, 7.5, A.4), and returns
 * the values of the top-level elements asked for (as text, padding trimmed).
 * Throws a {@linkcode DatasetError} at the first thing that does not fit,
 * naming its byte counted from `origin` (where `bytes` start in their file).
 * With `group`, every top-level element must be of that group (a meta
 * information group whose group length lies takes in the data set).
 */
export function walkDataset(
  bytes: Uint8Array,
  options: { encoding: Encoding; want?: readonly number[]; origin?: number; group?: number },
): Map<number, string> {
  const found = new Map<number, string>();
  const walker = new Walker(bytes, options.encoding, options.origin ?? 0, options.group);
  walker.elements({ end: bytes.length, depth: 0, want: new Set(options.want ?? []), found });
  if (walker.at !== bytes.length) {
    throw new DatasetError(
      `an item delimiter (FFFE,E00D) outside any item at byte ${walker.origin + walker.at - 8}`,
    );
  }
  return found;
}

class Walker {
  #view: DataView;
  // `origin`: where `bytes` start in the file, so that a message's byte is the file's.
  // `group`: the one group the top level may hold (the meta information's 0002).
  constructor(
    private bytes: Uint8Array,
    private encoding: Encoding,
    readonly origin: number,
    private group?: number,
  ) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  at = 0;

  #u16(at: number, little = this.encoding.littleEndian) {
    return this.#view.getUint16(at, little);
  }
  #u32(at: number, little = this.encoding.littleEndian) {
    return this.#view.getUint32(at, little);
  }
  #need(n: number, end: number, what: string) {
    if (this.at + n > end) {
      throw new DatasetError(
        `${what} at byte ${this.origin + this.at} (${n} bytes) runs past byte ${
          this.origin + end
        }, where ${
          end === this.bytes.length ? "the data" : "the item or sequence holding it"
        } ends`,
      );
    }
  }

  // Elements until `end`, or until the delimiter that closes an undefined-length item (`closing`).
  elements(
    o: {
      end: number;
      depth: number;
      want: Set<number>;
      found?: Map<number, string>;
      closing?: boolean;
    },
  ) {
    if (o.depth > MAX_DEPTH) {
      throw new DatasetError(
        `sequences nested deeper than ${MAX_DEPTH} at byte ${this.origin + this.at}`,
      );
    }
    while (this.at < o.end) {
      // Delimiters are always little endian implicit (PS3.5 7.5): read the tag to see.
      this.#need(8, o.end, "an element header");
      const tag = this.#tag();
      if (tag === ITEM_END) {
        this.at += 8;
        return;
      }
      if (o.depth === 0 && this.group !== undefined && tag >>> 16 !== this.group) {
        throw new DatasetError(
          `element (${hex(tag)}) at byte ${this.origin + this.at} is not of group ${
            hex(this.group << 16).slice(0, 4)
          }, yet within the ${o.end} bytes its group length (${hex(this.group << 16)}) says`,
          {
            hint: `correct the ${this.group === 0x0002 ? "meta " : ""}group length (${
              hex(this.group << 16)
            }); dcmdump FILE shows where the group ends`,
          },
        );
      }
      const { vr, length } = this.#header(tag, o.end);
      if (length === UNDEFINED) {
        if (vr !== "SQ" && vr !== "UN" && !(vr === "OB" || vr === "OW" || vr === undefined)) {
          throw new DatasetError(`element (${hex(tag)}) ${vr} has an undefined length`);
        }
        if (tag === 0x7fe00010) this.#fragments(o.end);
        else this.#sequence({ end: o.end, depth: o.depth + 1, undefinedLength: true });
        continue;
      }
      this.#need(length, o.end, `the value of (${hex(tag)})`);
      if (vr === "SQ") {
        this.#sequence({ end: this.at + length, depth: o.depth + 1, undefinedLength: false });
        continue;
      }
      if (o.want.has(tag) && o.found) {
        const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
        o.found.set(tag, text.replace(/[\0 ]+$/, "").trim());
      }
      this.at += length;
    }
    if (o.closing) throw new DatasetError("an item of undefined length never ends");
  }

  #tag(): number {
    const little = this.encoding.littleEndian;
    const group = this.#u16(this.at, little);
    // Item and delimiter tags are written in the data set's byte order too.
    return ((group << 16) | this.#u16(this.at + 2, little)) >>> 0;
  }

  #header(tag: number, end: number): { vr?: string; length: number } {
    const isItemTag = (tag >>> 16) === 0xfffe;
    if (!this.encoding.explicit || isItemTag) {
      const length = this.#u32(this.at + 4);
      this.at += 8;
      return { length };
    }
    const vr = String.fromCharCode(this.bytes[this.at + 4], this.bytes[this.at + 5]);
    if (!/^[A-Z]{2}$/.test(vr)) throw new DatasetError(`element (${hex(tag)}) has no VR`);
    if (LONG_VRS.has(vr)) {
      this.#need(12, end, "an element header");
      const length = this.#u32(this.at + 8);
      this.at += 12;
      return { vr, length };
    }
    const length = this.#u16(this.at + 6);
    this.at += 8;
    return { vr, length };
  }

  #sequence(o: { end: number; depth: number; undefinedLength: boolean }) {
    while (this.at < o.end) {
      this.#need(8, o.end, "an item header");
      const tag = this.#tag();
      const length = this.#u32(this.at + 4);
      this.at += 8;
      if (tag === SEQUENCE_END) {
        if (!o.undefinedLength) {
          throw new DatasetError("a sequence delimiter in a sequence of defined length");
        }
        return;
      }
      if (tag !== ITEM) throw new DatasetError(`expected an item (FFFE,E000), found (${hex(tag)})`);
      if (length === UNDEFINED) {
        this.elements({ end: o.end, depth: o.depth, want: new Set(), closing: true });
        continue;
      }
      this.#need(length, o.end, "an item");
      const itemEnd = this.at + length;
      this.elements({ end: itemEnd, depth: o.depth, want: new Set() });
    }
    if (o.undefinedLength) throw new DatasetError("a sequence of undefined length never ends");
  }

  // Encapsulated pixel data (PS3.5 A.4): items of defined length, then the sequence delimiter.
  #fragments(end: number) {
    for (;;) {
      this.#need(8, end, "a fragment header");
      const tag = this.#tag();
      const length = this.#u32(this.at + 4);
      this.at += 8;
      if (tag === SEQUENCE_END) return;
      if (tag !== ITEM || length === UNDEFINED) {
        throw new DatasetError(
          `expected a fragment (FFFE,E000) of defined length, found (${hex(tag)})`,
        );
      }
      this.#need(length, end, "a fragment");
      this.at += length;
    }
  }
}

function hex(tag: number): string {
  const h = tag.toString(16).toUpperCase().padStart(8, "0");
  return `${h.slice(0, 4)},${h.slice(4)}`;
}
