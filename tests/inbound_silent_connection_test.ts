/**
 * An inbound connection on which the SUT sent not one byte (a TCP probe, a
 * client that gave up before its ClientHello) is no conversation: nothing
 * in it says whether the SUT speaks TLS or what it thinks of our
 * certificate. So the first connection that sent a byte is the one judged
 * (a probe before the real connection is passed over), and a case whose
 * SUT said nothing on any connection is an error, unless `tcp:` is all it
 * expects.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { echoscuInboundSuite } from "../src/testing/suites.ts";

// bash connects to us over TCP (fd 3) and closes without a byte; then, for `probe`, runs echoscu.
const closeOnce =
  `[bash, -c, "exec 3<>/dev/tcp/$0/$1; exec 3>&-", "\${harness.host}", "\${harness.port}"]`;
const closeTwice =
  `[bash, -c, "for i in 1 2; do exec 3<>/dev/tcp/$0/$1; exec 3>&-; done", "\${harness.host}", "\${harness.port}"]`;
const probeThenEcho = `
      command:
        - bash
        - -c
        - exec 3<>/dev/tcp/$3/$4; exec 3>&-; exec echoscu +tls "$0" "$1" +cf "$2" -aet ECHOSCU -aec HARNESS "$3" "$4"
        - \${pki.client.key}
        - \${pki.client.crt}
        - \${pki.root.crt}
        - \${harness.host}
        - \${harness.port}`;

Deno.test({
  name:
    "an inbound connection closed without a byte is passed over for the next, and a SUT that said nothing is an error",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-silent-" });
    try {
      const file = join(dir, "silent.yaml");
      await Deno.writeTextFile(
        file,
        echoscuInboundSuite({
          name: "silent",
          body: `defaults: { timeout: 10s }
cases:
  - name: closes without a byte, expected not TLS
    trigger: { command: ${closeOnce} }
    expect: { tls: not-tls }
  - name: closes without a byte, expected to fail its echo
    trigger: { command: ${closeOnce} }
    expect: { echo: failure }
  - name: closes twice without a byte, expected to refuse us
    trigger: { command: ${closeTwice} }
    expect: { tls: refused-by-peer }
  - name: closes without a byte, expected to connect
    trigger: { command: ${closeOnce} }
    expect: { tcp: connected }
  - name: probes over TCP, then echoes over TLS
    trigger:${probeThenEcho}
    expect: { echo: success, tls: established }
  - name: probes over TCP, then echoes, expected not TLS
    trigger:${probeThenEcho}
    expect: { tls: not-tls }
`,
        }),
      );
      const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
      const run = await runSuites({ suites });
      const cases = run.suites[0].cases;
      assert.deepEqual(cases.map((c) => [c.name, c.status]), [
        ["closes without a byte, expected not TLS", "error"],
        ["closes without a byte, expected to fail its echo", "error"],
        ["closes twice without a byte, expected to refuse us", "error"],
        ["closes without a byte, expected to connect", "passed"],
        ["probes over TCP, then echoes over TLS", "passed"],
        ["probes over TCP, then echoes, expected not TLS", "failed"],
      ], cases.map((c) => `${c.name}: ${c.message}`).join("\n"));
      assert.match(
        cases[0].message!,
        /^the SUT closed its connection without sending a byte: nothing it said to judge/,
      );
      assert.match(cases[2].message!, /closed each of its 2 connections without sending a byte/);
      // The probe stays in the record of every connection.
      assert.deepEqual(cases[4].outcome?.connections?.map((c) => c.tls), [
        "not-tls",
        "established",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("an inbound client that sends the start of a TLS record and closes is no non-TLS client", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-half-" });
  try {
    const file = join(dir, "half.yaml");
    // A handshake record header (TLS 1.0, 200 bytes) and 6 bytes of its ClientHello, then a close.
    const half =
      `[bash, -c, "exec 3<>/dev/tcp/$0/$1; printf '\\\\x16\\\\x03\\\\x01\\\\x00\\\\xc8\\\\x01\\\\x00\\\\x00\\\\xc4\\\\x03\\\\x03' >&3; sleep 0.3", "\${harness.host}", "\${harness.port}"]`;
    await Deno.writeTextFile(
      file,
      echoscuInboundSuite({
        name: "half",
        body: `defaults: { timeout: 10s }
cases:
  - name: half a ClientHello, expected not TLS
    trigger: { command: ${half} }
    expect: { tls: not-tls }
`,
      }),
    );
    const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
    const run = await runSuites({ suites });
    const [c] = run.suites[0].cases;
    assert.equal(c.status, "failed", String(c.message));
    assert.equal(c.outcome?.tls?.status, "error");
    assert.match(
      c.message!,
      /got error \(ended at tls: error, the client sent a TLS handshake record \(TLSv1\) and ended before the record was whole\)$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
