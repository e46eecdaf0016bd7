import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { writeReport } from "./mod.ts";

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
      ok(e.message.includes(`Cannot write report ${path}: renderer crashed`), e.message);
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
    await rejects(writeReport(path, "{}"), /Cannot write report/);
    deepStrictEqual(await names(path), ["keep"]);
    deepStrictEqual(await names(dir), ["results.json"]);
  }));
