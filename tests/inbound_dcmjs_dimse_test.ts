/**
 * An inbound suite against dcmjs-dimse as the SCU under test, under Node.js
 * (its TLS is Node's own OpenSSL: a stack independent of ours and of
 * DCMTK's), asserted case by case: it refuses expired, self-signed and
 * unknown-CA server certificates and, unlike DCMTK, one issued for another
 * host; its user identity is recorded without the passcode.
 */
import assert from "node:assert/strict";
import { installNodePeerScripts } from "../src/testing/node_peers.ts";
import { havePeer } from "../src/testing/peers.ts";
import { REFUSES_BAD_SERVERS, runSuiteFiles, statusesOf } from "../src/testing/suite_run.ts";

Deno.test({
  name: "dcmjs-dimse as the SCU under test refuses bad server certificates and a wrong host name",
  ignore: !havePeer("node", "nodejs") || !havePeer("npm", "npm"),
  async fn() {
    const peers = await installNodePeerScripts(["dcmjs_dimse_scu.mjs"]);
    const r = await runSuiteFiles(["scenarios/dcmjs-dimse/dcmjs-dimse-inbound.yaml"], {
      env: { DICOMTLS_NODE_PEERS: peers },
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(statusesOf(r), {
      ...REFUSES_BAD_SERVERS,
      "refuses a server certificate for another host": "passed",
    });
    const trusted = r.cases.get(
      "a trusted server certificate is accepted and the C-ECHO goes through",
    )!.outcome!;
    assert.equal(trusted.associationRequest?.implementationVersionName, "DCMJS-DIMSE-V0.2");
    const identity = trusted.associationRequest?.userIdentity;
    assert.equal(identity?.typeName, "username-and-passcode");
    assert.equal(identity?.username, "technician");
    assert.equal(identity?.passcode, true, "a passcode came, and is not kept");
    assert.doesNotMatch(JSON.stringify(r.result), /not-for-the-report/);
    // Node verifies the server before its Finished: our handshake never completes.
    const host = r.cases.get("refuses a server certificate for another host")!.outcome!;
    assert.equal(host.tls?.status, "refused-by-peer");
    assert.equal(host.tls?.after, "our-certificate");
  },
});
