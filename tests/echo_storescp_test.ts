/**
 * `dicomtls echo` / runScu against DCMTK storescp over TLS: the issue's
 * acceptance list. storescp is single-threaded, so one server serves the
 * cases of a group in turn.
 */
import assert from "node:assert/strict";
import { runScu, type ScuOptions } from "../src/scu/mod.ts";
import { loadTrustAnchors } from "../src/security/mod.ts";
import type { Outcome } from "../src/outcome/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("storescp", "dcmtk");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain" | "der" | "p12" | "crl") =>
  pkiFile(pki!, name, ext);

async function withStorescp(
  options: { server?: string; flags?: string[] },
  fn: (port: number) => Promise<void>,
) {
  const server = options.server ?? "server";
  const scp = await startStorescp({
    cert: file(server, "chain"),
    key: file(server, "key"),
    trust: [file("root", "crt")],
    flags: options.flags,
  });
  try {
    await fn(scp.port);
  } finally {
    await scp.stop();
  }
}

async function echo(
  port: number,
  options: { client?: string; policy?: ScuOptions["policy"]; maxVersion?: "TLSv1.2" } = {},
): Promise<Outcome> {
  const credentials = options.client
    ? await loadCredentials({ cert: file(options.client, "crt"), key: file(options.client, "key") })
    : undefined;
  const anchors = await loadTrustAnchors([file("root", "crt")]);
  return runScu({
    host: "127.0.0.1",
    port,
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    credentials,
    policy: options.policy ?? { method: "chain", anchors: anchors.der },
    maxVersion: options.maxVersion,
    timeoutMs: 5000,
  });
}

Deno.test({
  name:
    "echo succeeds against storescp with a trusted client certificate, and refusals name storescp's alert",
  ignore,
  async fn(t) {
    await withStorescp({}, async (port) => {
      await t.step("trusted client: C-ECHO Success, released", async () => {
        const o = await echo(port, { client: "client" });
        assert.equal(o.ok, true, JSON.stringify(o.tls));
        assert.equal(o.stage, "release");
        assert.equal(o.tls?.protocol, "TLSv1.3");
        assert.equal(o.tls?.verification?.ok, true);
        assert.equal(
          o.tls?.peer?.sha1,
          pki!.manifest.entries.find((e) => e.name === "server")!.sha1,
        );
        assert.equal(o.association?.result, "accepted");
        assert.equal(o.dimse?.status, "success");
        assert.equal(o.dimse?.operations[0].status, 0);
        assert.equal(o.association?.released, true);
        assert.deepEqual(
          o.pdus.map((p) => `${p.direction} ${p.type}`),
          [
            "sent A-ASSOCIATE-RQ",
            "received A-ASSOCIATE-AC",
            "sent P-DATA-TF",
            "received P-DATA-TF",
            "sent A-RELEASE-RQ",
            "received A-RELEASE-RP",
          ],
        );
      });
      for (
        const [client, alert] of [
          ["client-expired", "certificate_expired"],
          ["client-untrusted", "unknown_ca"],
          ["client-self-signed", "unknown_ca"],
          [undefined, "certificate_required"],
        ] as const
      ) {
        await t.step(
          `${client ?? "no client certificate"}: refused at TLS with ${alert}`,
          async () => {
            const o = await echo(port, { client });
            assert.equal(o.ok, false);
            assert.equal(o.stage, "tls");
            assert.equal(o.tls?.status, "refused-by-peer");
            assert.equal(o.tls?.alert?.name, alert);
            assert.equal(o.association?.result, "not-requested");
          },
        );
      }
      await t.step(
        "TLS 1.2: the expired client certificate is refused in the handshake",
        async () => {
          // storescp offers only ECDHE-RSA suites in TLS 1.2: this needs the RSA server.
          const o = await echo(port, { client: "client-expired", maxVersion: "TLSv1.2" });
          assert.equal(o.stage, "tls");
          assert.equal(o.tls?.status, "refused-by-peer");
          assert.ok(o.tls?.alert, "an alert");
        },
      );
      const server = pki!.manifest.entries.find((e) => e.name === "server")!;
      await t.step("--verify thumbprint with the server's thumbprint succeeds", async () => {
        const o = await echo(port, {
          client: "client",
          policy: { method: "thumbprint", thumbprints: server.sha1.toLowerCase() },
        });
        assert.equal(o.ok, true);
        assert.equal(o.tls?.verification?.method, "thumbprint");
      });
      await t.step(
        "--verify thumbprint with another thumbprint: thumbprint-not-accepted",
        async () => {
          const other = pki!.manifest.entries.find((e) => e.name === "client")!;
          const o = await echo(port, {
            client: "client",
            policy: { method: "thumbprint", thumbprints: `${other.sha1};${other.sha256}` },
          });
          assert.equal(o.ok, false);
          assert.equal(o.stage, "tls");
          assert.equal(o.tls?.status, "refused-by-us");
          assert.deepEqual(o.tls?.verification?.reasons, ["thumbprint-not-accepted"]);
          assert.equal(o.association?.result, "not-requested");
        },
      );
    });
  },
});

Deno.test({
  name: "echo with an untrusted certificate succeeds against storescp -ic (no false refusals)",
  ignore,
  async fn() {
    await withStorescp({ flags: ["-ic"] }, async (port) => {
      const o = await echo(port, { client: "client-untrusted" });
      assert.equal(o.ok, true, JSON.stringify(o.tls));
      assert.equal(o.dimse?.operations[0].statusName, "Success");
    });
  },
});

Deno.test({
  name: "echo refuses storescp's expired server certificate with chain, and accepts it with none",
  ignore,
  async fn() {
    await withStorescp({ server: "server-expired" }, async (port) => {
      const refused = await echo(port, { client: "client" });
      assert.equal(refused.ok, false);
      assert.equal(refused.tls?.status, "refused-by-us");
      assert.deepEqual(refused.tls?.verification?.reasons, ["expired"]);
      const accepted = await echo(port, { client: "client", policy: { method: "none" } });
      assert.equal(accepted.ok, true, JSON.stringify(accepted.tls));
      assert.equal(accepted.tls?.verification?.method, "none");
    });
  },
});

Deno.test({
  name: "echo over TLS 1.2 reaches storescp with an RSA server key",
  ignore,
  async fn() {
    await withStorescp({ server: "server-rsa" }, async (port) => {
      const o = await echo(port, { client: "client", maxVersion: "TLSv1.2" });
      assert.equal(o.ok, true, JSON.stringify(o.tls));
      assert.equal(o.tls?.protocol, "TLSv1.2");
    });
  },
});

Deno.test({
  name:
    "dicomtls echo exits 0 on success, 1 on refusal, 2 on bad usage, and --json prints the Outcome",
  ignore,
  async fn() {
    await withStorescp({}, async (port) => {
      const run = (...args: string[]) => runDicomtls(["echo", ...args]);
      const target = `127.0.0.1:${port}`;
      const tls = ["--ca", file("root", "crt"), "--called", "STORESCP"];
      const ok = await run(
        target,
        ...tls,
        "--cert",
        file("client", "crt"),
        "--key",
        file("client", "key"),
        "--json",
      );
      assert.equal(ok.code, 0, ok.stderr);
      const outcome = JSON.parse(ok.stdout);
      assert.equal(outcome.ok, true);
      assert.equal(outcome.stage, "release");
      assert.match(outcome.tls.protocol, /^TLSv1\.[23]$/);
      assert.ok(outcome.tls.cipher);
      assert.match(outcome.tls.peer.sha1, /^[0-9A-F]{40}$/);
      assert.match(outcome.tls.peer.sha256, /^[0-9A-F]{64}$/);
      assert.deepEqual(
        [
          outcome.tls.verification.method,
          outcome.tls.verification.ok,
          outcome.tls.verification.reasons,
        ],
        ["chain", true, []],
      );
      assert.equal(outcome.association.result, "accepted");
      assert.equal(outcome.dimse.status, "success");

      const refused = await run(
        target,
        ...tls,
        "--cert",
        file("client-expired", "crt"),
        "--key",
        file("client-expired", "key"),
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /^TLS +refused by the peer: alert certificate_expired \(45\)/m);
      assert.match(refused.stdout, /^result +FAILED at tls/m);

      const usage = await run(target, "--ca", file("root", "crt"));
      assert.equal(usage.code, 2);
      assert.equal(
        usage.stderr.trim(),
        "dicomtls echo: --called is required (the SCP's AE title) (hint: e.g. dicomtls echo 127.0.0.1:" +
          port + " --called STORESCP)",
      );
      const missing = await run(
        target,
        ...tls,
        "--cert",
        "/nonexistent.crt",
        "--key",
        file("client", "key"),
      );
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nonexistent\.crt/);
      assert.doesNotMatch(missing.stderr, /\bat .*\.ts:\d+/);
    });
  },
});
