import { basename, join } from "node:path";
import type { DatasetSink } from "../dimse/mod.ts";
import { part10Bytes, readPart10 } from "../part10/mod.ts";
import { concatBytes } from "../ul/mod.ts";
import type { DuplicatePolicy } from "./config.ts";

/** What a C-STORE data set is stored as, and the limits it is stored within. */
export interface StoreTarget {
  /** The storage folder. */
  dir: string;
  /** (0002,0002), from the command: the SOP class of the accepted context. */
  sopClassUid: string;
  /** (0002,0003), from the command, a valid UID: the file is `UID.dcm`. */
  sopInstanceUid: string;
  /** (0002,0010): the accepted context's transfer syntax. */
  transferSyntax: string;
  /** The calling AE title, kept in (0002,0016). */
  sourceAe: string;
  /** Largest data set stored, in bytes. */
  maxObjectSize: number;
  /** What to do when `UID.dcm` exists. */
  duplicates: DuplicatePolicy;
}

/** The C-STORE-RSP status a store ended with, and the file it wrote. */
export interface StoreResult {
  /** 0x0000, or the PS3.4 B.2.3 / PS3.7 C failure. */
  status: number;
  /** Why it failed, for (0000,0902) and the log. */
  comment?: string;
  /** The path written. */
  file?: string;
}

/** Data sets up to this size are read (part10's walker) once received; larger ones are kept unread, not to hold them in memory. */
export const VALIDATE_LIMIT = 8 * 1024 * 1024;

/**
 * File Meta Information (PS3.10 7.1) is group 0002 of a Part 10 file,
 * written by whoever writes the file (we do, from the command): a data set
 * that brings its own would make a file with two, and is no Data Set: PS3.5's
 * excludes the groups below 0008 (as PS3.4 C.4.1.1.3 recalls). Little
 * endian, as every transfer syntax we accept.
 */
const FILE_META_GROUP = 0x0002;

/** Errors that mean the machine, not the data set, is short of something (answered 0xA700). */
const OUT_OF_RESOURCES = /^(ENOSPC|EDQUOT|EFBIG|EMFILE|ENFILE|ENOMEM)$/;

// ".1.2.3.<uuid>.tmp": the temporary file of a store in progress (also part10's own).
const TEMPORARY = /^\..+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/**
 * A C-STORE data set streamed to a temporary file in the storage folder as
 * its fragments arrive (memory stays flat whatever the size), then checked
 * and placed as `UID.dcm` by the duplicate policy. A data set over the
 * maximum size, or a write the disk cannot take, removes the temporary
 * file at once and reads the rest without keeping it: `finish` then
 * answers 0xA700 (Refused: Out of Resources, PS3.4 B.2.3). `abandon`
 * (the message did not complete) removes it too.
 *
 * @example
 * ```ts
 * import { StoreFile, type StoreTarget } from "./store_file.ts";
 * declare const target: StoreTarget;
 * declare const fragments: Uint8Array[];
 * const store = new StoreFile(target);
 * for (const f of fragments) await store.write(f);
 * const { status, file } = await store.finish();
 * ```
 */
export class StoreFile implements DatasetSink {
  #target: StoreTarget;
  #temp: string;
  #file?: Deno.FsFile;
  #written = 0;
  #refusal?: StoreResult;
  #head: Uint8Array = new Uint8Array(0);

  /** A store into `target.dir`; nothing is written before the first fragment. */
  constructor(target: StoreTarget) {
    this.#target = target;
    this.#temp = join(target.dir, `.${target.sopInstanceUid}.${crypto.randomUUID()}.tmp`);
  }

  /** Appends a fragment (the first one opens the file and writes the Part 10 header). */
  async write(fragment: Uint8Array): Promise<void> {
    if (this.#refusal) return;
    const group = this.#firstGroup(fragment);
    this.#written += fragment.length;
    if (group === FILE_META_GROUP) {
      return await this.#refuse({
        status: 0xc000,
        // (0000,0902) is an LO: 64 characters.
        comment: "File Meta elements (group 0002) in a data set",
      });
    }
    if (this.#written > this.#target.maxObjectSize) {
      return await this.#refuse({
        status: 0xa700,
        comment: `data set over the maximum object size of ${this.#target.maxObjectSize} bytes`,
      });
    }
    try {
      this.#file ??= await this.#open();
      await writeAll(this.#file, fragment);
    } catch (e) {
      await this.#refuse(failure(e));
    }
  }

  /** The message did not complete: the temporary file goes. */
  async abandon(): Promise<void> {
    await this.#drop();
  }

  /** The data set is complete: check it, place it, and say how the store ended. */
  async finish(): Promise<StoreResult> {
    if (this.#refusal) return this.#refusal;
    try {
      this.#file ??= await this.#open();
      this.#file.close();
      this.#file = undefined;
      if (this.#written <= VALIDATE_LIMIT) readPart10(await Deno.readFile(this.#temp));
    } catch (e) {
      await this.#drop();
      return (e as { code?: string }).code ? failure(e) : {
        status: 0xc000,
        comment: `cannot understand the data set: ${(e as Error).message}`,
      };
    }
    return await this.#place();
  }

  // The group of the data set's first tag once its 2 bytes are in (a PDV may hold 1 byte).
  #firstGroup(fragment: Uint8Array): number | undefined {
    if (this.#written >= 2) return undefined;
    this.#head = concatBytes([this.#head, fragment.subarray(0, 2 - this.#written)]);
    return this.#head.length === 2 ? this.#head[0] | (this.#head[1] << 8) : undefined;
  }

  async #open(): Promise<Deno.FsFile> {
    const file = await Deno.open(this.#temp, { write: true, createNew: true, mode: 0o644 });
    const t = this.#target;
    const header = part10Bytes({
      dataset: new Uint8Array(),
      sopClassUid: t.sopClassUid,
      sopInstanceUid: t.sopInstanceUid,
      transferSyntax: t.transferSyntax,
      sourceAe: t.sourceAe,
    });
    await writeAll(file, header);
    return file;
  }

  async #place(): Promise<StoreResult> {
    const { dir, sopInstanceUid: uid, duplicates } = this.#target;
    try {
      if (duplicates === "replace") {
        const file = join(dir, `${uid}.dcm`);
        await Deno.rename(this.#temp, file);
        return { status: 0, file };
      }
      for (let n = 1; n <= 1000; n++) {
        const file = join(dir, n === 1 ? `${uid}.dcm` : `${uid}-${n}.dcm`);
        if (await claim(this.#temp, file)) return { status: 0, file };
        if (duplicates === "refuse") {
          await this.#drop();
          return { status: 0x0111, comment: `SOP Instance ${uid} is already stored` };
        }
      }
      throw new Error(`1000 files of SOP Instance ${uid} are stored already`);
    } catch (e) {
      await this.#drop();
      return failure(e);
    }
  }

  async #refuse(refusal: StoreResult): Promise<void> {
    this.#refusal = refusal;
    await this.#drop();
  }

  async #drop(): Promise<void> {
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = undefined;
    await Deno.remove(this.#temp).catch(() => {});
  }
}

/**
 * Removes the temporary files a store left in `dir` when the AE was killed
 * in the middle of it (`.UID.UUID.tmp`); returns their names. Run it
 * before serving: with one AE per storage folder, none is in use then.
 *
 * @example
 * ```ts
 * import { removeLeftovers } from "./store_file.ts";
 * const removed = await removeLeftovers("received");
 * ```
 */
export async function removeLeftovers(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !TEMPORARY.test(entry.name)) continue;
    await Deno.remove(join(dir, entry.name)).then(() => removed.push(entry.name), () => {});
  }
  return removed;
}

// Links the temporary file as `file` unless that exists (atomic, never replaces); true when done.
async function claim(temp: string, file: string): Promise<boolean> {
  try {
    await Deno.link(temp, file);
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    // A file system without hard links: reserve the name, then rename over the reservation.
    try {
      (await Deno.open(file, { write: true, createNew: true })).close();
    } catch (reserved) {
      if (reserved instanceof Deno.errors.AlreadyExists) return false;
      throw reserved;
    }
    await Deno.rename(temp, file);
    return true;
  }
  await Deno.remove(temp);
  return true;
}

function failure(e: unknown): StoreResult {
  const code = (e as { code?: string }).code ?? "";
  const what = `${basename(String((e as Error).message))}`;
  return OUT_OF_RESOURCES.test(code)
    ? { status: 0xa700, comment: `out of resources: ${what}` }
    : { status: 0xa700, comment: `cannot store the data set: ${what}` };
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}
