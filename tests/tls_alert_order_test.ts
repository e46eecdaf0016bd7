/**
 * The wire's order of alerts decides who refused the handshake: a server
 * whose answer our stack refuses with an alert, and which then sends its own,
 * did not refuse us (a case expecting `refused-by-peer` passed on our own
 * refusal with the OpenSSL stack); one whose alert came first did.
 */
import assert from "node:assert/strict";
import type { TlsOutcome } from "../src/outcome/mod.ts";
import { connectTls } from "../src/tls/mod.ts";
import { closeSharedOpenSsl } from "../src/tls/openssl/mod.ts";
import { type ListenerBehaviour, startListener } from "../src/testing/listeners.ts";
import { havePeer } from "../src/testing/peers.ts";
import { alertRecord, serverHelloRecord } from "../src/testing/tls_records.ts";

const stacks = havePeer("node", "nodejs") ? ["rustls", "openssl"] as const : ["rustls"] as const;
const THEIRS = alertRecord(2, 40);

/**
 * A server that answers the ClientHello with a ServerHello choosing compression
 * method 1 (both our stacks refuse it with illegal_parameter) and sends its own
 * handshake_failure: once our alert came, or in the same write as its hello.
 */
function refusedServer(version: "TLSv1.2" | "TLSv1.3", alert: "after-ours" | "before-ours") {
  const hello = version === "TLSv1.3"
    ? serverHelloRecord({
      suite: 0x1301,
      supportedVersion: 0x0304,
      keyShare: 0x001d,
      compression: 1,
    })
    : serverHelloRecord({ suite: 0xc02f, compression: 1 });
  const behaviour: ListenerBehaviour = {
    respond(_first, socket) {
      if (alert === "before-ours") return void socket.end(new Uint8Array([...hello, ...THEIRS]));
      socket.write(hello);
      socket.on("data", (chunk: Uint8Array) => {
        if (chunk[0] === 21 && chunk[1] === 3) socket.end(THEIRS); // our alert came
      });
    },
  };
  return startListener(behaviour);
}

const situations = [
  ["a server that answers our alert with its own is refused by us, not refusing us", "after-ours", (
    tls: TlsOutcome | undefined,
    at: string,
  ) => {
    assert.equal(tls?.status, "error", at);
    assert.equal(tls?.alert, undefined, at);
    assert.deepEqual(tls?.alertSent, { name: "illegal_parameter", code: 47 }, at);
    assert.doesNotMatch(tls?.error ?? "", /peer sent alert/, at);
  }],
  ["a server whose alert came before ours refused us", "before-ours", (
    tls: TlsOutcome | undefined,
    at: string,
  ) => {
    assert.equal(tls?.status, "refused-by-peer", at);
    assert.deepEqual(tls?.alert, { name: "handshake_failure", code: 40 }, at);
    assert.equal(tls?.after, "server-hello", at);
  }],
] as const;

for (const [name, alert, check] of situations) {
  Deno.test(name, async () => {
    try {
      for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
        const server = await refusedServer(version, alert);
        try {
          for (const stack of stacks) {
            const port = server.port;
            const c = await connectTls({ host: "127.0.0.1", port, stack, timeoutMs: 5000 });
            check(c.tls, `${stack} ${version}: ${JSON.stringify(c.tls)}`);
          }
        } finally {
          await server.close();
        }
      }
    } finally {
      await closeSharedOpenSsl();
    }
  });
}
