/**
 * runScu against Orthanc (DCMTK's TLS inside) with `DicomCheckCalledAet:
 * true` and `DicomAlwaysAllowEcho: false`: a known caller echoes; a wrong
 * called AE, an unknown calling AE and an untrusted client certificate end
 * where and how Orthanc really ends them. Orthanc takes seconds to stop, so
 * one instance serves every case of this file in turn.
 */
import assert from "node:assert/strict";
import { runScu } from "../src/scu/mod.ts";
import { loadTrustAnchors } from "../src/security/mod.ts";
import type { Outcome } from "../src/outcome/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { havePeer, startOrthanc } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("Orthanc", "orthanc");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki!, name, ext);

async function echo(
  port: number,
  options: { callingAe: string; calledAe: string; client?: string },
): Promise<Outcome> {
  const client = options.client ?? "client";
  return runScu({
    host: "127.0.0.1",
    port,
    callingAe: options.callingAe,
    calledAe: options.calledAe,
    credentials: await loadCredentials({ cert: file(client, "crt"), key: file(client, "key") }),
    policy: { method: "chain", anchors: (await loadTrustAnchors([file("root", "crt")])).der },
    timeoutMs: 5000,
  });
}

Deno.test({
  name: "Orthanc checking AE titles echoes with a known caller and refuses the others precisely",
  ignore,
  async fn(t) {
    const orthanc = await startOrthanc({
      cert: file("server", "chain"),
      key: file("server", "key"),
      trust: file("root", "crt"),
      aet: "ORTHANC",
      checkCalledAet: true,
      // Orthanc never calls it: the entry only makes DICOMTLS a known calling AE.
      modalities: { dicomtls: { aet: "DICOMTLS", port: 104 } },
    });
    try {
      await t.step("a known calling AE and the right called AE: C-ECHO Success", async () => {
        const o = await echo(orthanc.port, { callingAe: "DICOMTLS", calledAe: "ORTHANC" });
        assert.equal(o.ok, true, JSON.stringify(o.association));
        assert.equal(o.stage, "release");
        assert.equal(o.tls?.verification?.ok, true);
        assert.equal(o.association?.result, "accepted");
        assert.equal(o.dimse?.operations[0].statusName, "Success");
        assert.equal(o.association?.released, true);
      });

      await t.step(
        "a wrong called AE: rejected-permanent by the service user, called-ae-title-not-recognized",
        async () => {
          const o = await echo(orthanc.port, { callingAe: "DICOMTLS", calledAe: "NOTORTHANC" });
          assert.equal(o.ok, false);
          assert.equal(o.stage, "association");
          assert.equal(o.tls?.status, "established");
          assert.equal(o.association?.result, "rejected");
          assert.deepEqual(o.association?.reject, {
            result: "rejected-permanent",
            source: "service-user",
            reason: "called-ae-title-not-recognized",
          });
          assert.equal(o.dimse, undefined);
        },
      );

      await t.step(
        "an unknown calling AE: accepted, then the C-ECHO is answered with A-ABORT (service-user)",
        async () => {
          // Orthanc 1.10 does not reject an unknown caller at A-ASSOCIATE: with
          // DicomAlwaysAllowEcho false it accepts, then aborts on the C-ECHO.
          const o = await echo(orthanc.port, { callingAe: "STRANGER", calledAe: "ORTHANC" });
          assert.equal(o.ok, false);
          assert.equal(o.stage, "dimse");
          assert.equal(o.association?.result, "aborted");
          assert.deepEqual(o.association?.abort, {
            by: "peer",
            source: "service-user",
            reason: "reason-not-specified",
          });
          assert.equal(o.dimse?.status, "aborted");
          assert.equal(o.dimse?.operations[0].category, "aborted");
          assert.deepEqual(
            o.pdus.map((p) => `${p.direction} ${p.type}`),
            [
              "sent A-ASSOCIATE-RQ",
              "received A-ASSOCIATE-AC",
              "sent P-DATA-TF",
              "received A-ABORT",
            ],
          );
        },
      );

      await t.step("an untrusted client certificate: refused at TLS with unknown_ca", async () => {
        const o = await echo(orthanc.port, {
          callingAe: "DICOMTLS",
          calledAe: "ORTHANC",
          client: "client-untrusted",
        });
        assert.equal(o.ok, false);
        assert.equal(o.stage, "tls");
        assert.equal(o.tls?.status, "refused-by-peer");
        assert.deepEqual(o.tls?.alert, { name: "unknown_ca", code: 48 });
        assert.equal(o.association?.result, "not-requested");
      });
    } finally {
      await orthanc.stop();
    }
  },
});

for (const [key, client] of [["server-rsa", "client-rsa"], ["server", "client"]] as const) {
  Deno.test({
    name:
      `Orthanc 1.10 with ${key} is asked for TLS 1.0 and 1.1 over a real association (an RSA key accepts both, an EC key has no suite)`,
    ignore,
    async fn() {
      const orthanc = await startOrthanc({
        cert: file(key, "chain"),
        key: file(key, "key"),
        trust: file("root", "crt"),
        aet: "ORTHANC",
        modalities: { dicomtls: { aet: "DICOMTLS", port: 104 } },
      });
      try {
        for (const version of ["TLSv1", "TLSv1.1"] as const) {
          const o = await runScu({
            host: "127.0.0.1",
            port: orthanc.port,
            callingAe: "DICOMTLS",
            calledAe: "ORTHANC",
            credentials: await loadCredentials({
              cert: file(client, "crt"),
              key: file(client, "key"),
            }),
            policy: { method: "none" },
            minVersion: version,
            maxVersion: version,
            timeoutMs: 8000,
          });
          assert.equal(o.tls?.stack, "openssl");
          if (key === "server-rsa") {
            // The finding: Orthanc 1.10 (DCMTK's TLS, like storescp +px) still speaks TLS 1.0/1.1.
            assert.equal(o.ok, true, `${version}: ${JSON.stringify(o.tls)}`);
            assert.equal(o.tls?.protocol, version);
            assert.equal(o.dimse?.operations[0].statusName, "Success");
          } else {
            // With an EC key its TLS 1.0/1.1 suite list (AES128-SHA, RSA) has nothing to
            // offer: handshake_failure to our ClientHello, whose suites include ECDHE-ECDSA ones.
            assert.equal(o.tls?.status, "refused-by-peer", JSON.stringify(o.tls));
            assert.equal(o.tls?.alert?.name, "handshake_failure");
            assert.equal(o.tls?.after, "client-hello");
          }
        }
      } finally {
        await orthanc.stop();
      }
    },
  });
}
