/**
 * The files of a `run` together are bounded as `store`'s are: the run holds
 * each distinct file of the cases' `files:` until it ends.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runDicomtls } from "../src/testing/cli.ts";

const FIXTURE = await Deno.readFile(
  new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url),
);

// a.dcm and b.dcm of 1.1 GiB: sparse (no disk), each under the 2 GiB of one file, their first bytes Part 10.
async function twoLargeFiles(dir: string): Promise<void> {
  for (const name of ["a.dcm", "b.dcm"]) {
    await Deno.writeFile(join(dir, name), FIXTURE);
    await Deno.truncate(join(dir, name), 1.1 * 1024 ** 3);
  }
}

Deno.test("run refuses at load, unread, files: that hold more than 2 GiB together, at the entry past it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-run-files-total-" });
  try {
    await twoLargeFiles(dir);
    await Deno.writeTextFile(
      join(dir, "s.yaml"),
      `suite: files over 2 GiB together
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 9 }
  harness: { ae: ME, verify: none }
cases:
  - name: both
    operation: store
    files:
      - a.dcm
      - b.dcm
`,
    );
    // Before: a.dcm was read whole at load (15 s, 1.2 GB RSS), and files that passed were all
    // held until the run ended, unbounded in all.
    const r = await runDicomtls(["run", join(dir, "s.yaml")], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^dicomtls run: .*s\.yaml:10:9: the files to send up to this one hold 2\.2 GiB, more than the 2 GiB dicomtls keeps in memory at once \(hint: [^\n]*\)\n$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("store refuses files that hold more than 2 GiB together in the same words, unread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-files-total-" });
  try {
    await twoLargeFiles(dir);
    const r = await runDicomtls(["store", "127.0.0.1:9", dir, "--called", "X", "--verify", "none"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^dicomtls store: .*b\.dcm: the files to send up to this one hold 2\.2 GiB, more than the 2 GiB dicomtls keeps in memory at once \(hint: store them in several runs\)\n$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
