/**
 * `dicomtls probe` as users run it (a subprocess) against storescp +px with a
 * required client certificate: the table, each violation named, the exit
 * codes (0 met, 1 not, 2 usage), and --json valid against
 * schemas/probe.schema.json (whose definitions are in results.schema.json).
 * The command lines of a test run in one child process
 * (src/testing/cli_batch.ts): a child each spent ~0.3 CPU-seconds loading.
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { runDicomtls } from "../src/testing/cli.ts";
import { runDicomtlsBatch } from "../src/testing/cli_batch.ts";
import { havePeer, type Storescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { startStorescpProfile } from "../src/testing/probe_oracles.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const ignore = !havePeer("storescp", "dcmtk") || !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addSchema(
    JSON.parse(Deno.readTextFileSync(`${ROOT}schemas/results.schema.json`)),
    "results.schema.json",
  );
  return ajv.compile(JSON.parse(Deno.readTextFileSync(`${ROOT}schemas/probe.schema.json`)));
}

async function withPx(fn: (scp: Storescp, credentials: string[]) => Promise<void>) {
  const scp = await startStorescpProfile({
    pki: pki!,
    profile: "+px",
    requireClientCertificate: true,
  });
  try {
    await fn(scp, [
      "--cert",
      pkiFile(pki!, "client-rsa", "chain"),
      "--key",
      pkiFile(pki!, "client-rsa", "key"),
    ]);
  } finally {
    await scp.stop();
  }
}

Deno.test({
  name: "dicomtls probe names each B.10 violation of storescp +px and exits 1; B.9 is met, exit 0",
  ignore,
  async fn() {
    await withPx(async (scp, credentials) => {
      const target = `127.0.0.1:${scp.port}`;
      const [nd, b9] = await runDicomtlsBatch([
        {
          args: ["probe", target, "--profile", "bcp195-nd", ...credentials, "--called", "STORESCP"],
        },
        { args: ["probe", target, "--profile", "B.9", "--no-evidence"] },
      ]);
      assert.equal(nd.code, 1, nd.stderr);
      assert.match(
        nd.stdout,
        /TLS 1\.0 +accepted +ServerHello TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA; association: echoed/,
      );
      assert.match(nd.stdout, /PS3\.15 B\.10 .*: NON-COMPLIANT/);
      assert.ok(nd.stdout.includes("  violation: accepts TLS 1.0 (forbidden by PS3.15 B.10)"));
      assert.ok(nd.stdout.includes("  violation: accepts TLS 1.1 (forbidden by PS3.15 B.10)"));
      assert.match(
        nd.stdout,
        /evidence: TLS 1\.0: echoed \(TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA, A-ASSOCIATE-AC, C-ECHO Success\)/,
      );
      assert.equal(b9.code, 0, b9.stdout);
      assert.match(b9.stdout, /\(bcp195\): COMPLIANT/);
    });
  },
});

Deno.test({
  name:
    "dicomtls probe --json prints the probe and the verdicts, valid against schemas/probe.schema.json",
  ignore,
  async fn() {
    await withPx(async (scp, credentials) => {
      const r = await runDicomtls([
        "probe",
        `127.0.0.1:${scp.port}`,
        "--profile",
        "all",
        "--json",
        ...credentials,
        "--called",
        "STORESCP",
      ]);
      assert.equal(r.code, 1);
      const value: { verdicts: unknown[]; probe: { evidence: unknown[] } } = JSON.parse(r.stdout);
      const validate = validator();
      assert.ok(validate(value), JSON.stringify(validate.errors, null, 2));
      assert.equal(value.verdicts.length, 8);
      assert.equal(value.probe.evidence.length, 4);
    });
  },
});

Deno.test({
  name:
    "dicomtls probe refuses an unknown profile with the nearest name, exit 2, and a dead target is exit 1",
  ignore,
  async fn() {
    const [bad, usage, dead, spelled] = await runDicomtlsBatch([
      { args: ["probe", "127.0.0.1:9", "--profile", "bcp195-n"] },
      { args: ["probe"] },
      { args: ["probe", "127.0.0.1:9", "--timeout", "200"] },
      // A duration as every other command writes it, not milliseconds alone.
      { args: ["probe", "127.0.0.1:9", "--timeout", "2s"] },
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no profile 'bcp195-n' \(did you mean 'bcp195-nd'\?\)/);
    assert.equal(usage.code, 2);
    assert.equal(dead.code, 1);
    assert.match(dead.stdout, /not probed: TCP: .*ECONNREFUSED/);
    assert.equal(spelled.code, 1, spelled.stderr);
  },
});
