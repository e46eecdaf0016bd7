import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { checkReportTargets, ReportWriteError, writeReport, writeReportSet } from "./mod.ts";
import { InputError } from "../yaml/mod.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-write-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const names = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("writeReport() creates parent folders and replaces an existing report", () =>
  withDir(async (dir) => {
    const path = `${dir}/reports/demo/junit.xml`;
    await writeReport(path, "<testsuites/>\n");
    await writeReport(path, '<testsuites tests="1"/>\n');
    strictEqual(await Deno.readTextFile(path), '<testsuites tests="1"/>\n');
    deepStrictEqual(await names(`${dir}/reports/demo`), ["junit.xml"]);
  }));

Deno.test("writeReport() writes chunks and bytes", () =>
  withDir(async (dir) => {
    await writeReport(`${dir}/a.html`, ["<html>", "é", "</html>"]);
    strictEqual(await Deno.readTextFile(`${dir}/a.html`), "<html>é</html>");
    await writeReport(`${dir}/b.bin`, new Uint8Array([1, 2, 3]));
    deepStrictEqual([...await Deno.readFile(`${dir}/b.bin`)], [1, 2, 3]);
  }));

Deno.test("writeReport() keeps the old report and leaves no temporary file when writing fails", () =>
  withDir(async (dir) => {
    const path = `${dir}/report.html`;
    await writeReport(path, "old report");
    function* failing() {
      yield "<html>half a report";
      throw new Error("renderer crashed");
    }
    await rejects(writeReport(path, failing()), (e: Error) => {
      ok(e.message.includes(`cannot write report ${path}: renderer crashed`), e.message);
      ok(e.message.includes("existing file left unchanged"));
      return true;
    });
    strictEqual(await Deno.readTextFile(path), "old report");
    deepStrictEqual(await names(dir), ["report.html"]);
  }));

Deno.test("writeReport() leaves what is at the path when the final rename fails", () =>
  withDir(async (dir) => {
    const path = `${dir}/results.json`;
    await Deno.mkdir(path);
    await Deno.writeTextFile(`${path}/keep`, "x");
    await rejects(writeReport(path, "{}"), /cannot write report/);
    deepStrictEqual(await names(path), ["keep"]);
    deepStrictEqual(await names(dir), ["results.json"]);
  }));

Deno.test("writeReportSet() keeps the whole old set and leaves no temporary file when one report fails", () =>
  withDir(async (dir) => {
    await writeReportSet([
      { path: `${dir}/junit.xml`, content: () => "old junit" },
      { path: `${dir}/results.json`, content: () => "old json" },
    ]);
    function* failing() {
      yield "{ half";
      throw new Error("renderer crashed");
    }
    await rejects(
      writeReportSet([
        { path: `${dir}/junit.xml`, content: () => "new junit" },
        { path: `${dir}/results.json`, content: failing },
      ]),
      (e) => e instanceof ReportWriteError && /results\.json: renderer crashed/.test(e.message),
    );
    strictEqual(await Deno.readTextFile(`${dir}/junit.xml`), "old junit");
    strictEqual(await Deno.readTextFile(`${dir}/results.json`), "old json");
    deepStrictEqual(await names(dir), ["junit.xml", "results.json"]);
  }));

Deno.test("writeReportSet() writes through a symbolic link and sends - to stdout", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/real.json`, "a much longer old content");
    await Deno.symlink(`${dir}/real.json`, `${dir}/link.json`);
    const sent: Uint8Array[] = [];
    const stdout = { write: (b: Uint8Array) => (sent.push(b.slice()), Promise.resolve(b.length)) };
    await writeReportSet([
      { path: `${dir}/link.json`, content: () => "through" },
      { path: "-", content: () => ["to ", "stdout"] },
    ], { stdout });
    ok((await Deno.lstat(`${dir}/link.json`)).isSymlink, "the link is not replaced");
    strictEqual(await Deno.readTextFile(`${dir}/real.json`), "through");
    strictEqual(new TextDecoder().decode(new Uint8Array(sent.flatMap((b) => [...b]))), "to stdout");
    deepStrictEqual(await names(dir), ["link.json", "real.json"]);
  }));

Deno.test("checkReportTargets() refuses a folder, a device, a path below a file and two stdouts", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/file`, "x");
    const refused = async (paths: string[], pattern: RegExp) =>
      await rejects(
        checkReportTargets(paths),
        (e) => e instanceof InputError && pattern.test(e.message),
      );
    await refused([dir], /cannot write report .*: it is a folder \(hint: /);
    await refused(["/dev/null"], /: it is a device, FIFO or socket, not a regular file \(hint: /);
    await refused([`${dir}/file/sub/junit.xml`], /is not a folder \(a file is in the way\)/);
    await refused(["-", "-"], /more than one report is to go to stdout/);
    await refused(
      ["-", "/dev/stdout"],
      /more than one report is to go to stdout \(-, \/dev\/stdout\)/,
    );
    await refused(
      [`${dir}/file`, `${dir}/new/../file`],
      /two reports would be written to one file/,
    );
    await refused(["/dev/stderr"], /: it is stderr, where the progress and messages go \(hint: /);
    await checkReportTargets([`${dir}/new/junit.xml`, `${dir}/file`, "/dev/stdout"]);
    deepStrictEqual(await names(dir), ["file", "new"], "no probe file is left");
    deepStrictEqual(await names(`${dir}/new`), []);
  }));
