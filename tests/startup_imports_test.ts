/**
 * Each command loads only what it uses: following the static imports (not
 * the `await import()`s that load a command or a rarely needed package when
 * it runs) from the program's entry, neither `--help` nor a one-shot `echo`
 * reaches any npm package: no YAML parser, JSON Schema validator,
 * node-forge, DICOM library, nor @peculiar/x509 (the path checker reads
 * certificates with its own DER reader; @peculiar/x509 loads only for CRLs
 * and for signatures node:crypto cannot check). Every command checks its
 * command line before it loads what does the work, so a refused line (the
 * test suite starts hundreds) loads none of that either.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

// The npm packages (bare or npm: specifiers) reachable by static imports from `entry`; with
// `reached`, also every module of ours (relative to the root) and every node: module.
async function staticPackages(
  entry: string,
  reached = new Set<string>(),
): Promise<Map<string, string>> {
  const packages = new Map<string, string>(); // package -> the file that imports it
  const seen = new Set<string>();
  const queue = [join(root, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    reached.add(relative(root, file));
    const text = await Deno.readTextFile(file);
    // Static `import ... from "x"`, `import "x"` and `export ... from "x"`, not type-only ones.
    for (
      const [, spec] of text.matchAll(/^(?:import|export)(?! type)(?:[^;]*?from)?\s*"([^"]+)"/gms)
    ) {
      if (spec.startsWith(".")) {
        if (spec.endsWith(".json")) continue;
        queue.push(join(dirname(file), spec));
      } else if (spec.startsWith("node:")) reached.add(spec);
      else {
        const name = spec.replace(/^npm:/, "").replace(/(?<=.)@[^/]*$/, "").replace(/@\^.*$/, "");
        packages.set(name, relative(root, file));
      }
    }
  }
  return packages;
}

Deno.test("dicomtls --help loads no npm package", async () => {
  const loaded = await staticPackages("src/cli/main.ts");
  assert.deepEqual([...loaded.keys()], []);
});

Deno.test("a one-shot dicomtls echo loads no npm package (no YAML, schema, forge, DICOM or X.509 library)", async () => {
  const loaded = await staticPackages("src/cli/echo.ts");
  assert.deepEqual(Object.fromEntries(loaded), {});
});

Deno.test("each command checks its command line before it loads an npm package, node:tls, node:crypto or a folder's mod.ts", async () => {
  const { COMMANDS } = await import("../src/cli/commands.ts");
  // A folder's mod.ts loads the whole folder (the text helpers' is a few lines).
  const heavy = /^node:(tls|crypto)$|^src\/(?!text\/)[a-z_]+\/mod\.ts$/;
  const loaded: Record<string, string[]> = {};
  for (const { name } of COMMANDS) {
    const reached = new Set<string>();
    const packages = await staticPackages(`src/cli/${name}.ts`, reached);
    const wrong = [...packages.keys(), ...[...reached].filter((m) => heavy.test(m))];
    if (wrong.length) loaded[name] = wrong;
  }
  assert.deepEqual(loaded, {});
});
