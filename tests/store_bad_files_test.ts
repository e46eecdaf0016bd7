/**
 * `dicomtls store` handed the files a careless or hostile user has: cut
 * short, garbage after the preamble, a wrong magic, a length past the end,
 * sequences nested thousands deep, no UIDs, a UID of 1 MB, group 0002 in
 * the data set, a deflate bomb, a 2 GiB sparse file, a pipe, a folder
 * linking back to itself, hostile names. Each is refused before
 * connecting with one line naming the file and the byte where it goes wrong,
 * exit 2, in bounded memory; a transfer syntax the SCP does not take is
 * skipped with its reason while the other files are stored.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { constants, deflateRawSync } from "node:zlib";
import { dicomtlsCommand, runDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { clientTlsArgs, pkiFile, testPki } from "../src/testing/pki.ts";

const FIXTURE = await Deno.readFile(
  new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url),
);
// The fixture's meta group ends here; its data set follows (explicit VR little endian).
const META_END = 144 + new DataView(FIXTURE.buffer).getUint32(140, true);
// A terminal acts on these: ESC [ 2 J clears the screen, BEL rings, RLO reorders the line.
const HOSTILE = "\x1b[2J\x07\u202e";
// deno-lint-ignore no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]/;
// Far longer than any case takes; a hang ends here as a failure.
const GUARD_MS = 30_000;
const TIME = "/usr/bin/time";

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

// An explicit VR little endian header with a 32-bit length (OB, SQ), or an item/delimiter tag.
function header(group: number, element: number, vr: string | undefined, length: number) {
  const out = new Uint8Array(vr ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, element, true);
  if (vr) {
    out.set([vr.charCodeAt(0), vr.charCodeAt(1)], 4);
    view.setUint32(8, length, true);
  } else view.setUint32(4, length, true);
  return out;
}

// The fixture with `tags` (group, element) left out of its meta group and data set.
function withoutTags(tags: number[][]): Uint8Array {
  const keep = (bytes: Uint8Array) => {
    const parts: Uint8Array[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < bytes.length;) {
      const [g, e] = [view.getUint16(at, true), view.getUint16(at + 2, true)];
      const long = String.fromCharCode(bytes[at + 4], bytes[at + 5]) === "OB";
      const end = at +
        (long ? 12 + view.getUint32(at + 8, true) : 8 + view.getUint16(at + 6, true));
      if (!tags.some(([tg, te]) => tg === g && te === e)) parts.push(bytes.subarray(at, end));
      at = end;
    }
    return concat(...parts);
  };
  const meta = keep(FIXTURE.subarray(144, META_END));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, meta.length, true);
  return concat(FIXTURE.subarray(0, 140), length, meta, keep(FIXTURE.subarray(META_END)));
}

// The fixture with its Transfer Syntax UID (0002,0010) replaced by one of the same length.
function withTransferSyntax(uid: string): Uint8Array {
  const at = new TextDecoder("latin1").decode(FIXTURE).indexOf("1.2.840.10008.1.2.1\0");
  const out = FIXTURE.slice();
  out.set(new TextEncoder().encode(uid), at);
  return out;
}

// The fixture with its meta group length (0002,0000) set to `length`.
function withMetaLength(length: number): Uint8Array {
  const out = FIXTURE.slice();
  new DataView(out.buffer).setUint32(140, length, true);
  return out;
}

// The fixture with its Transfer Syntax UID element replaced by `element` and its data set by
// `dataset` (the meta group length fitted).
function withTransferSyntaxElement(element: Uint8Array, dataset?: Uint8Array): Uint8Array {
  const without = withoutTags([[2, 0x10]]);
  const metaEnd = 144 + new DataView(without.buffer).getUint32(140, true);
  const out = concat(
    without.subarray(0, metaEnd),
    element,
    dataset ?? without.subarray(metaEnd),
  );
  new DataView(out.buffer).setUint32(140, metaEnd - 144 + element.length, true);
  return out;
}

// A short explicit VR element (UI): 16-bit length.
function short(group: number, element: number, vr: string, value: string): Uint8Array {
  const bytes = new TextEncoder().encode(value.length % 2 ? `${value}\0` : value);
  const out = concat(new Uint8Array(8), bytes);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, element, true);
  out.set([vr.charCodeAt(0), vr.charCodeAt(1)], 4);
  view.setUint16(6, bytes.length, true);
  return out;
}

// A deflated data set of `mib` MiB of zeros, from one compressed MiB repeated (fast to build).
function deflateBomb(mib: number): Uint8Array {
  const mebibyte = deflateRawSync(new Uint8Array(2 ** 20), { finishFlush: constants.Z_FULL_FLUSH });
  return concat(...Array(mib).fill(new Uint8Array(mebibyte)), deflateRawSync(new Uint8Array()));
}

// 5000 sequences of undefined length, each in an item of the one before.
function deeplyNested(): Uint8Array {
  const open = concat(
    header(0x0040, 0xa730, "SQ", 0xffffffff),
    header(0xfffe, 0xe000, undefined, 0xffffffff),
  );
  const close = concat(header(0xfffe, 0xe00d, undefined, 0), header(0xfffe, 0xe0dd, undefined, 0));
  return concat(FIXTURE, ...Array(5000).fill(open), ...Array(5000).fill(close));
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  maxRssKib?: number;
}

// `dicomtls store` of `files` to a port nobody is asked on (the files are read first), under
// /usr/bin/time when there is one for its peak memory, killed if it outlives the guard.
async function storeNowhere(files: string[]): Promise<Ran> {
  const timed = await Deno.stat(TIME).then(() => true, () => false);
  const args = dicomtlsCommand([
    "store",
    "127.0.0.1:9",
    ...files,
    "--called",
    "X",
    "--verify",
    "none",
  ]);
  const [program, ...rest] = timed ? [TIME, "-f", "maxrss=%M", ...args] : args;
  const child = new Deno.Command(program, {
    args: rest,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const guard = setTimeout(() => {
    // /usr/bin/time's child (dicomtls) first: it would outlive time and hold the pipes open.
    const children = Deno.readTextFileSync(`/proc/${child.pid}/task/${child.pid}/children`);
    for (const pid of children.split(" ").filter(Boolean)) Deno.kill(Number(pid), "SIGKILL");
    child.kill("SIGKILL");
  }, GUARD_MS);
  const out = await child.output();
  clearTimeout(guard);
  const d = new TextDecoder();
  let stderr = d.decode(out.stderr);
  const rss = stderr.match(/^(?:Command exited with non-zero status \d+\n)?maxrss=(\d+)\n$/m);
  if (rss) stderr = stderr.slice(0, rss.index);
  // /usr/bin/time answers with its own code: the child's.
  return {
    code: out.code,
    stdout: d.decode(out.stdout),
    stderr,
    maxRssKib: rss ? Number(rss[1]) : undefined,
  };
}

Deno.test("dicomtls store refuses each damaged, hostile or endless input with one line naming the file and where, exit 2, in bounded memory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-bad-files-" });
  try {
    const write = async (name: string, bytes: Uint8Array) => {
      await Deno.writeFile(join(dir, name), bytes);
      return join(dir, name);
    };
    const badMagic = FIXTURE.slice();
    badMagic.set(new TextEncoder().encode("DICX"), 128);
    const garbage = FIXTURE.slice();
    garbage.set(crypto.getRandomValues(new Uint8Array(FIXTURE.length - 132)), 132);
    // 2 GiB that read as zeros: refused from its first bytes, never read whole.
    const sparse = join(dir, "sparse.dcm");
    await Deno.writeFile(sparse, new Uint8Array());
    await Deno.truncate(sparse, 2 * 1024 ** 3);
    const fifo = join(dir, "pipe.dcm");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    // Two links back up: walked blindly, 2^40 paths before the kernel's link limit stops it.
    const looped = join(dir, "looped");
    await Deno.mkdir(join(looped, "series"), { recursive: true });
    await Deno.writeFile(join(looped, "series", "image.dcm"), FIXTURE);
    await Deno.symlink("..", join(looped, "series", "up1"));
    await Deno.symlink("..", join(looped, "series", "up2"));
    const hostileFolder = join(dir, "hostile");
    await Deno.mkdir(hostileFolder);
    await Deno.writeFile(join(hostileFolder, `a${HOSTILE}.dcm`), FIXTURE.subarray(0, 300));

    const cases: [string, RegExp][] = [
      [
        await write("cut.dcm", FIXTURE.subarray(0, 300)),
        /: the value of \(0008,0016\) at byte 292 \(26 bytes\) runs past byte 300/,
      ],
      [
        await write("tiny.dcm", FIXTURE.subarray(0, 100)),
        /: no 'DICM' after the 128-byte preamble/,
      ],
      [
        await write("no-group.dcm", FIXTURE.subarray(0, 136)),
        /: the file ends at byte 136, before its meta information/,
      ],
      [await write("magic.dcm", badMagic), /: no 'DICM' after the 128-byte preamble/],
      [
        await write("garbage.dcm", garbage),
        /: the meta information does not start with its group length/,
      ],
      [
        await write(
          "huge-length.dcm",
          concat(FIXTURE, header(0x0009, 0x0010, "OB", 0xfffffffe), new Uint8Array(2)),
        ),
        new RegExp(
          `: the value of \\(0009,0010\\) at byte ${
            FIXTURE.length + 12
          } \\(4294967294 bytes\\) runs past byte ${FIXTURE.length + 14}`,
        ),
      ],
      [
        await write("deep.dcm", deeplyNested()),
        new RegExp(`: sequences nested deeper than 32 at byte ${FIXTURE.length + 33 * 20}`),
      ],
      [
        await write("no-uids.dcm", withoutTags([[2, 2], [2, 3], [8, 0x16], [8, 0x18]])),
        /: the file has no SOP Class UID \(0002,0002\), no SOP Instance UID \(0002,0003\) \(hint: a file to store names/,
      ],
      // Group 0002 in the data set, which we sent as is and DCMTK 3.6.7's storescp stored with a
      // warning ('Invalid Element (0002,0012) found in data set') and Success: a meta group
      // length too short, and the meta group twice.
      [
        await write("short-meta.dcm", withMetaLength(102)),
        /: the data set starts with File Meta element \(0002,0012\) at byte 246: group 0002 goes on past the 102 bytes its group length \(0002,0000\) gives, .* \(hint: correct the meta group length/,
      ],
      [
        await write(
          "meta-twice.dcm",
          concat(
            FIXTURE.subarray(0, META_END),
            FIXTURE.subarray(132, META_END),
            FIXTURE.subarray(META_END),
          ),
        ),
        new RegExp(
          `: the data set starts with File Meta element \\(0002,0000\\) at byte ${META_END}: `,
        ),
      ],
      // A UID of 1 MB reached the A-ASSOCIATE-RQ: "Uncaught RangeError: Cannot encode item".
      [
        await write(
          "long-uid.dcm",
          withTransferSyntaxElement(
            concat(header(2, 0x10, "UT", 2 ** 20), new TextEncoder().encode("1.".repeat(2 ** 19))),
          ),
        ),
        /: the Transfer Syntax UID '1\.1\.1.*\.\.\. \(1048576 characters\)' is not a UID \(PS3\.5 9\.1/,
      ],
      // 1 MB inflating to 1 GiB: walked whole, 2.2 GB of memory.
      [
        await write(
          "bomb.dcm",
          withTransferSyntaxElement(
            short(2, 0x10, "UI", "1.2.840.10008.1.2.1.99"),
            deflateBomb(1024),
          ),
        ),
        /: the deflated data set inflates to more than 64 MiB \(a deflate bomb\?\) \(hint: send it in another transfer syntax/,
      ],
      [sparse, /sparse\.dcm: not a DICOM Part 10 file: no 'DICM'/],
      [fifo, /pipe\.dcm: cannot read: it is not a regular file/],
      [
        looped,
        /looped\/series\/up1: a symbolic link back to the folder .*looped it is in \(a loop\) \(hint: remove the link/,
      ],
      [hostileFolder, /hostile\/a\\x1B\[2J\\x07\\u\{202E\}\.dcm: not a DICOM Part 10 file: /],
    ];
    const failed: string[] = [];
    for (const [path, expected] of cases) {
      const r = await storeNowhere([path]);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      const what = `${path}: exit ${r.code}, ${r.maxRssKib} KiB\n${r.stderr}${r.stdout}`;
      try {
        assert.equal(r.code, 2, what);
        assert.equal(lines.length, 1, what);
        assert.match(lines[0], /^dicomtls store: /, what);
        assert.match(lines[0], expected, what);
        assert.doesNotMatch(r.stderr + r.stdout, RAW_CONTROL, what);
        // Deno itself takes ~70 MB; a file read whole would be 2 GiB more.
        if (r.maxRssKib !== undefined) assert.ok(r.maxRssKib < 512 * 1024, what);
      } catch (e) {
        failed.push((e as Error).message);
      }
    }
    assert.equal(failed.length, 0, `${failed.length} of ${cases.length}:\n${failed.join("\n\n")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "dicomtls store skips a file in a transfer syntax storescp did not accept, saying why, and stores the next, a hostile name never printed raw",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const pki = await testPki();
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-bad-files-" });
    const scp = await startStorescp({
      cert: pkiFile(pki, "server", "chain"),
      key: pkiFile(pki, "server", "key"),
      trust: [pkiFile(pki, "root", "crt")],
    });
    try {
      // RLE Lossless: storescp accepts only the uncompressed transfer syntaxes by default.
      const rle = join(dir, `1 rle${HOSTILE}.dcm`);
      await Deno.writeFile(rle, withTransferSyntax("1.2.840.10008.1.2.5\0"));
      const good = join(dir, `2 good${HOSTILE}.dcm`);
      await Deno.writeFile(good, FIXTURE);
      const r = await runDicomtls([
        "store",
        `127.0.0.1:${scp.port}`,
        dir,
        "--called",
        "STORESCP",
        ...clientTlsArgs(pki),
      ]);
      const what = `${r.stderr}${r.stdout}\n${scp.log()}`;
      assert.equal(r.code, 1, what);
      assert.match(
        r.stdout,
        /C-STORE +.*\): not sent: the peer accepted no context for SOP class .* in 1\.2\.840\.10008\.1\.2\.5 /,
        what,
      );
      assert.match(r.stdout, /Success \(0x0000\)/, what);
      assert.doesNotMatch(r.stderr + r.stdout, RAW_CONTROL, what);
      assert.equal([...Deno.readDirSync(scp.outDir)].length, 1, what);
    } finally {
      await scp.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a suite whose files: names a pipe is refused at its line, not waited on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-bad-files-" });
  try {
    await new Deno.Command("mkfifo", { args: [join(dir, "pipe.dcm")] }).output();
    await Deno.writeTextFile(
      join(dir, "s.yaml"),
      `suite: a pipe to store
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 9 }
  harness: { ae: ME, verify: none }
cases:
  - name: store the pipe
    operation: store
    files: [pipe.dcm]
    expect: { store: success }
`,
    );
    // Opening a FIFO to read its first bytes waits for a writer: that was for ever.
    const { code, stderr } = await runDicomtls(["validate", join(dir, "s.yaml")], {
      signal: AbortSignal.timeout(GUARD_MS),
    });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /s\.yaml:8:13: DICOM file 'pipe\.dcm' is not a regular file \(a device, pipe or socket\) \(hint: /,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("validate reads a case's files: as store would and refuses each one store refuses at its line, a 2 GiB file unread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-bad-files-" });
  try {
    await Deno.writeFile(join(dir, "uid.dcm"), withTransferSyntax("1.2.840.10008.1.2.1\x1b"));
    await Deno.writeFile(join(dir, "lying.dcm"), withMetaLength(META_END - 144 + 30));
    const bomb = withTransferSyntaxElement(
      short(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1.99"),
      deflateBomb(65),
    );
    await Deno.writeFile(join(dir, "bomb.dcm"), bomb);
    // Sparse: its size costs no disk; the fixture starts it, so its first bytes look fine.
    await Deno.writeFile(join(dir, "huge.dcm"), FIXTURE);
    await Deno.truncate(join(dir, "huge.dcm"), 2 * 1024 ** 3 + 1);
    const cases = ["uid", "lying", "bomb", "huge"].map((name) =>
      `  - { name: ${name}, operation: store, files: [${name}.dcm], expect: { store: success } }`
    );
    await Deno.writeTextFile(
      join(dir, "s.yaml"),
      `suite: files store refuses
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 9 }
  harness: { ae: ME, verify: none }
cases:
${cases.join("\n")}
`,
    );
    // They passed validate (the file starts as Part 10) and were each the case's ERROR in run.
    const r = await runDicomtls(["validate", join(dir, "s.yaml")]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trimEnd().split("\n");
    const expected = [
      /s\.yaml:6:.*'uid\.dcm' is not a DICOM Part 10 file: the Transfer Syntax UID '1\.2\.840\.10008\.1\.2\.1\\x1B' is not a UID/,
      /s\.yaml:7:.*'lying\.dcm' is not a DICOM Part 10 file: element \(0008,0016\) at byte \d+ is not of group 0002.* \(hint: correct the meta group length/,
      /s\.yaml:8:.*'bomb\.dcm' is not a DICOM Part 10 file: the deflated data set inflates to more than 64 MiB .*\(hint: send it in another transfer syntax/,
      /s\.yaml:9:.*DICOM file 'huge\.dcm' cannot be read: it is larger than the 2 GiB a DICOM file may be \(hint: dicomtls holds a file whole/,
    ];
    assert.equal(lines.length, expected.length, r.stderr);
    expected.forEach((e, i) => assert.match(lines[i], e, r.stderr));
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
