/**
 * The AE config docs/reference-ae.md shows (fixtures/ae/ae.yaml) starts the
 * reference AE once its PKI is made as the doc says, and answers a C-ECHO
 * from a caller it accepts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAeConfig, resolveAeConfig, startReferenceAe } from "../src/reference_ae/mod.ts";
import { runScu } from "../src/scu/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

Deno.test("the example AE config of docs/reference-ae.md serves a C-ECHO with the standard PKI", async () => {
  const pki = await testPki("standard");
  // Laid out as in the checkout: fixtures/ae/ae.yaml beside fixtures/pki/out/standard.
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-ae-example-" });
  try {
    await Deno.mkdir(join(dir, "fixtures/ae"), { recursive: true });
    await Deno.mkdir(join(dir, "fixtures/pki/out"), { recursive: true });
    await Deno.copyFile(join(root, "fixtures/ae/ae.yaml"), join(dir, "fixtures/ae/ae.yaml"));
    await Deno.symlink(pki.dir, join(dir, "fixtures/pki/out/standard"));
    const config = resolveAeConfig(await loadAeConfig(join(dir, "fixtures/ae/ae.yaml")));
    const ae = await startReferenceAe({ config, onLog: () => {} });
    try {
      const outcome = await runScu({
        host: ae.host,
        port: ae.port,
        callingAe: "ECHOSCU",
        calledAe: "REFAE",
        credentials: await loadCredentials({
          cert: pkiFile(pki, "client", "crt"),
          key: pkiFile(pki, "client", "key"),
        }),
        policy: { method: "none" },
        timeoutMs: 10_000,
      });
      assert.equal(outcome.ok, true, JSON.stringify(outcome.association));
    } finally {
      await ae.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
