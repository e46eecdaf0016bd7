/**
 * Inbound cases whose client is still there when the case's time runs out:
 * a close that follows our stop (of the connection, then of the trigger) is
 * ours, never the client's refusal; a client that connected over TCP and
 * sent nothing is recorded as connected, waiting for its ClientHello. Both
 * are errors, never a verdict. A client that closes on its own after its
 * hello still refused us. Real clients: Python's TLS stack writes the hello.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { echoscuInboundSuite } from "../src/testing/suites.ts";

// A real ClientHello (Python's ssl through memory BIOs), sent over TCP; then `close` or `hang`.
const HELLO_THEN = `import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
into, out = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(into, out)
try:
    tls.do_handshake()
except ssl.SSLWantReadError:
    pass
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(out.read())
if sys.argv[2] == "close":
    time.sleep(0.3)
    s.close()
else:
    time.sleep(60)
`;

const havePython = (() => {
  try {
    return new Deno.Command("python3", { args: ["-c", "import ssl"] }).outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name:
    "a client still in its handshake or silent at the case's end is our timeout (an error), not a refusal; one that closes on its own refused",
  ignore: !havePython,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-stopped-" });
    try {
      const script = join(dir, "hello_then.py");
      await Deno.writeTextFile(script, HELLO_THEN);
      const hello = (mode: string) =>
        `{ command: [python3, ${JSON.stringify(script)}, "\${harness.port}", ${mode}] }`;
      const file = join(dir, "stopped.yaml");
      await Deno.writeTextFile(
        file,
        echoscuInboundSuite({
          name: "stopped",
          body: `defaults: { timeout: 6s }
cases:
  - name: hello then hang
    trigger: ${hello("hang")}
    expect: { tls: refused-by-peer }
  - name: tcp then silence
    trigger:
      command: [python3, -c, "import socket,sys,time; s=socket.create_connection(('127.0.0.1',int(sys.argv[1]))); print('connected',flush=True); time.sleep(60)", "\${harness.port}"]
    expect: { association: not-requested }
  - name: hello then close
    trigger: ${hello("close")}
    expect: { tls: refused-by-peer }
`,
        }),
      );
      const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
      const run = await runSuites({ suites, concurrency: 3 });
      const [hang, silent, closed] = run.suites[0].cases;

      assert.equal(hang.status, "error", hang.message ?? "");
      assert.match(hang.message!, /our timeout, not the SUT's answer/);
      assert.equal(hang.outcome?.tls?.status, "timeout");
      assert.equal(hang.outcome?.tls?.waitingFor, "the rest of the client's handshake");
      assert.match(hang.outcome!.tls!.error!, /: the case's time ran out$/);
      assert.equal(hang.outcome?.trigger?.stopped, true);
      // We closed first; the client's end (our kill of its trigger) came after.
      assert.equal(hang.outcome?.wire?.close.first, "us");

      assert.equal(silent.status, "error", silent.message ?? "");
      assert.doesNotMatch(silent.message!, /never connected/);
      assert.equal(silent.outcome?.tcp.status, "connected");
      assert.equal(silent.outcome?.tls?.status, "timeout");
      assert.equal(silent.outcome?.tls?.waitingFor, "the client's ClientHello");
      assert.equal(silent.outcome?.connections?.length, 1);
      assert.equal(silent.outcome?.trigger?.output, "connected");

      assert.equal(closed.status, "passed", closed.message ?? "");
      assert.equal(closed.outcome?.tls?.closedWithoutAlert, true);
      assert.equal(closed.outcome?.trigger?.exitCode, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
