/**
 * startStorescp's own output folder goes with the process: each start
 * without `outDir` left an empty dicomtls-storescp-* folder in TMPDIR.
 */
import assert from "node:assert/strict";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test({
  name: "stop() removes the output folder startStorescp made, and keeps one it was given",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const pki = await testPki();
    const tls = { cert: pkiFile(pki, "server", "chain"), key: pkiFile(pki, "server", "key") };
    const own = await startStorescp(tls);
    assert.ok(await exists(own.outDir), "storescp writes there while it runs");
    await own.stop();
    assert.equal(await exists(own.outDir), false, `${own.outDir} left behind`);

    const given = await Deno.makeTempDir({ prefix: "dicomtls-storescp-given-" });
    try {
      await (await startStorescp({ ...tls, outDir: given })).stop();
      assert.ok(await exists(given), "a folder the caller gave is the caller's");
    } finally {
      await Deno.remove(given, { recursive: true });
    }
  },
});
