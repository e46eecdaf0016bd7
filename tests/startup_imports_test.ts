/**
 * Each command loads only what it uses: following the static imports (not
 * the `await import()`s that load a command or a rarely needed package when
 * it runs) from the program's entry, neither `--help` nor a one-shot `echo`
 * reaches any npm package: no YAML parser, JSON Schema validator,
 * node-forge, DICOM library, nor @peculiar/x509 (the path checker reads
 * certificates with its own DER reader; @peculiar/x509 loads only for CRLs
 * and for signatures node:crypto cannot check).
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

// The npm packages (bare or npm: specifiers) reachable by static imports from `entry`.
async function staticPackages(entry: string): Promise<Map<string, string>> {
  const packages = new Map<string, string>(); // package -> the file that imports it
  const seen = new Set<string>();
  const queue = [join(root, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await Deno.readTextFile(file);
    // Static `import ... from "x"`, `import "x"` and `export ... from "x"`, not type-only ones.
    for (
      const [, spec] of text.matchAll(/^(?:import|export)(?! type)(?:[^;]*?from)?\s*"([^"]+)"/gms)
    ) {
      if (spec.startsWith(".")) {
        if (spec.endsWith(".json")) continue;
        queue.push(join(dirname(file), spec));
      } else if (!spec.startsWith("node:")) {
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
