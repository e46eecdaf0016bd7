/**
 * Imports only flow downward: every import of a folder of src/ names a folder
 * that docs/architecture.md's layout table allows it, so the table is the
 * rule and the code cannot drift from it.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");

// `| \`src/scu/\` | what it does | \`dimse\`, \`outcome\` |` -> scu: [dimse, outcome]
async function allowedImports(): Promise<Map<string, string[]>> {
  const doc = await Deno.readTextFile(join(root, "docs/architecture.md"));
  const rows = doc.matchAll(/^\| `src\/([a-z_0-9]+)\/` +\|.*\|([^|]*)\|$/gm);
  return new Map([...rows].map(([, folder, may]) => [
    folder,
    [...may.matchAll(/`([a-z_0-9]+)`/g)].map((m) => m[1]),
  ]));
}

// `from "../x.ts"`, `import "../x.ts"` and `import("../x.ts")` (a command loaded when it runs)
const _RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*"(\.[^"]+)"/g;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* sourceFiles(path);
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) yield path;
  }
}

Deno.test("docs/architecture.md lists every folder of src/", async () => {
  const allowed = await allowedImports();
  const folders: string[] = [];
  for await (const e of Deno.readDir(src)) if (e.isDirectory) folders.push(e.name);
  assert.deepEqual([...allowed.keys()].sort(), folders.sort());
});

Deno.test("every folder of src/ imports only the folders docs/architecture.md allows it", async () => {
  const allowed = await allowedImports();
  const wrong: string[] = [];
  for await (const file of sourceFiles(src)) {
    const folder = relative(src, file).split("/")[0];
    const text = await Deno.readTextFile(file);
    for (const [, target] of text.matchAll(_RELATIVE_IMPORT)) {
      const to = relative(src, join(file, "..", target)).split("/");
      if (to[0] === "..") {
        if (!target.endsWith(".json")) wrong.push(`${relative(root, file)} imports ${target}`);
        continue;
      }
      if (to[0] !== folder && !allowed.get(folder)?.includes(to[0])) {
        wrong.push(`${relative(root, file)} imports ${target} (src/${to[0]})`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("docs/architecture.md's table lets imports flow one way only: no folder can reach itself", async () => {
  const allowed = await allowedImports();
  const cycles: string[] = [];
  const reach = (path: string[]): void => {
    for (const next of allowed.get(path.at(-1)!) ?? []) {
      if (next === path[0]) cycles.push([...path, next].join(" -> "));
      else if (!path.includes(next)) reach([...path, next]);
    }
  };
  for (const folder of allowed.keys()) reach([folder]);
  assert.deepEqual(cycles, []);
});

async function* testFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* testFiles(path);
    else if (e.name.endsWith("_test.ts")) yield path;
  }
}

Deno.test("tests/ holds only test files: the helpers live in src/testing/", async () => {
  const others: string[] = [];
  for await (const e of Deno.readDir(join(root, "tests"))) {
    if (!e.isFile || !e.name.endsWith("_test.ts")) others.push(`tests/${e.name}`);
  }
  assert.deepEqual(others, []);
});

Deno.test("docs/architecture.md's table of test helpers names every file of src/testing/", async () => {
  const doc = await Deno.readTextFile(join(root, "docs/architecture.md"));
  const table = doc.slice(doc.indexOf("| file "), doc.indexOf("Fixture generators"));
  const unnamed: string[] = [];
  for await (const e of Deno.readDir(join(src, "testing"))) {
    if (e.name !== "mod.ts" && !e.name.endsWith("_test.ts") && !table.includes(`\`${e.name}\``)) {
      unnamed.push(e.name);
    }
  }
  assert.deepEqual(unnamed.sort(), []);
});

Deno.test("unit tests in src/ import nothing from tests/ or fixtures/", async () => {
  const wrong: string[] = [];
  for await (const file of testFiles(src)) {
    const text = await Deno.readTextFile(file);
    for (const [, target] of text.matchAll(_RELATIVE_IMPORT)) {
      const to = relative(root, join(file, "..", target));
      if (to.startsWith("tests/") || to.startsWith("fixtures/")) {
        wrong.push(`${relative(root, file)} imports ${to}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("unit tests in src/ start no process: a test with a peer program goes in tests/", async () => {
  const spawning: string[] = [];
  for await (const file of testFiles(src)) {
    const text = await Deno.readTextFile(file);
    const found = text.match(/Deno\.Command|node:child_process|\bstartProcess\(|\bhavePeer\(/);
    if (found) spawning.push(`${relative(root, file)}: ${found[0]}`);
  }
  assert.deepEqual(spawning, []);
});

Deno.test("no test spawns Deno itself: the dicomtls program runs through src/testing/cli.ts", async () => {
  const own: string[] = [];
  const files = [
    ...await Array.fromAsync(testFiles(src)),
    ...await Array.fromAsync(testFiles(join(root, "tests"))),
  ];
  for (const file of files) {
    if (/Deno\.execPath\(\)/.test(await Deno.readTextFile(file))) own.push(relative(root, file));
  }
  assert.deepEqual(own, []);
});
