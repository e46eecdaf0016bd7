/**
 * `dicomtls listen` as users run it: one inbound conversation, with echoscu
 * made to connect by the command after `--`, or connecting on its own once
 * the listener said where it listens; exit 0 when it associated and
 * released, 1 when it refused, 2 for bad usage or when our wait ended with
 * no verdict (no SCU came, a handshake still under way).
 */
import assert from "node:assert/strict";
import type { Outcome } from "../src/outcome/mod.ts";
import { runDicomtls, spawnDicomtls } from "../src/testing/cli.ts";
import { havePeer, PEER_ENV } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const pki = await testPki("inbound");
const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki, name, kind);
const ignore = !havePeer("echoscu", "dcmtk");
const server = (name: string) => [
  ...["--cert", file(name, "chain")],
  ...["--key", file(name, "key"), "--ca", file("root", "crt"), "--port", "0"],
];
const echoscu = (host: string, port: string) => [
  ...["echoscu", "+tls", file("client", "key"), file("client", "crt")],
  ...["+cf", file("root", "crt"), "-aet", "ECHOSCU", "-aec", "DICOMTLS", host, port],
];

/** The first line `listen` says on stderr ("listening on HOST:PORT ..."), and the rest of it. */
async function listening(child: Deno.ChildProcess) {
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!said.includes("\n")) {
    const { value, done } = await stderr.read();
    if (done) break;
    said += value;
  }
  return { said, stderr };
}

Deno.test({
  name: "dicomtls listen -- echoscu ... prints what echoscu offered and did, and exits 0",
  ignore,
  async fn() {
    const r = await runDicomtls([
      "listen",
      ...server("server"),
      "--timeout",
      "10000",
      "--",
      ...echoscu("${harness.host}", "${harness.port}"),
    ], { env: PEER_ENV });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^listening on 127\.0\.0\.1:\d+ as AE DICOMTLS$/m);
    assert.match(r.stdout, /^trigger +echoscu \+tls .* 127\.0\.0\.1 \d+: exited 0 \(\d+ ms\)$/m);
    assert.match(r.stdout, /^ClientHello +TLSv1\.3, TLSv1\.2; \d+ suites: TLS_AES_256_GCM_SHA384/m);
    assert.match(r.stdout, /^client cert +CN=MODALITY, O=Example Hospital/m);
    assert.match(r.stdout, /^ +our check +chain: accepted$/m);
    assert.match(r.stdout, /^A-ASSOC-RQ +ECHOSCU -> DICOMTLS, 1 presentation context/m);
    assert.match(r.stdout, /^C-ECHO +request -> Success \(0x0000\)$/m);
    assert.match(r.stdout, /^result +OK at release in [\d.]+ ms$/m);
  },
});

Deno.test({
  name:
    "dicomtls listen shows echoscu refusing an expired server certificate with its alert, and exits 1",
  ignore,
  async fn() {
    const r = await runDicomtls([
      "listen",
      ...server("server-expired"),
      "--",
      ...echoscu("${harness.host}", "${harness.port}"),
    ], { env: PEER_ENV });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^TLS +refused by the client: alert certificate_expired \(45\) after our-certificate$/m,
    );
    assert.match(r.stdout, /^result +FAILED at tls/m);
  },
});

Deno.test({
  name: "dicomtls listen --json waits for an SCU that connects on its own and prints the Outcome",
  ignore,
  async fn() {
    const child = spawnDicomtls(["listen", ...server("server"), "--json", "--timeout", "15000"]);
    const { said, stderr } = await listening(child);
    const m = /^listening on ([\d.]+):(\d+)/.exec(said);
    assert.ok(m, said);
    const echo = await new Deno.Command(echoscu(m[1], m[2])[0], {
      args: echoscu(m[1], m[2]).slice(1),
      env: PEER_ENV,
    }).output();
    assert.equal(echo.code, 0);
    await stderr.cancel();
    const stdout = await new Response(child.stdout).text();
    const { code } = await child.status;
    assert.equal(code, 0, stdout);
    const o: Outcome = JSON.parse(stdout);
    assert.equal(o.direction, "inbound");
    assert.equal(o.trigger, undefined);
    assert.equal(o.associationRequest?.callingAe, "ECHOSCU");
    assert.equal(o.target.port, Number(m[2]));
  },
});

Deno.test("dicomtls listen names the trigger, the address and our wait when the SCU never connects: an error, exit 2", async () => {
  const r = await runDicomtls([
    "listen",
    ...server("server"),
    "--timeout",
    "3000",
    "--",
    "sh",
    "-c",
    "echo no device here; exit 3",
  ]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /^connection +the SUT never connected to 127\.0\.0\.1:\d+: we waited [\d.]+ s for its TCP connection, until 1 s after its trigger ended \(trigger: sh -c 'echo no device here; exit 3': exited 3: no device here\)$/m,
  );
  assert.match(r.stdout, /^result +ERROR at tcp/m);
  assert.doesNotMatch(r.stdout, /FAILED/);
});

Deno.test("dicomtls listen whose --timeout ends with no SCU connected says what it waited for and how long: an error, exit 2", async () => {
  const r = await runDicomtls(["listen", ...server("server"), "--timeout", "1500ms"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const m =
    /^connection +the SUT never connected to 127\.0\.0\.1:\d+: we waited ([\d.]+) s for its TCP connection, until our timeout$/m
      .exec(r.stdout);
  assert.ok(m, r.stdout);
  // From listening (after our own sanity handshake, which the timeout includes) to its end.
  assert.ok(Number(m[1]) > 0 && Number(m[1]) <= 2, `waited ${m[1]} s of a 1.5 s timeout`);
  assert.match(r.stdout, /^result +ERROR at tcp in \d+(\.\d)? ms$/m);
  assert.doesNotMatch(r.stdout, /FAILED/);
  assert.match(r.stderr, /never connected .*: no verdict on the SCU$/m);
});

Deno.test("dicomtls listen whose --timeout ends during a client's handshake reports our timeout as an error, exit 2", async () => {
  const child = spawnDicomtls(["listen", ...server("server"), "--timeout", "1500ms"]);
  const { said, stderr } = await listening(child);
  const port = Number(/^listening on [\d.]+:(\d+)/.exec(said)?.[1]);
  assert.ok(port, said);
  // A client that opens TCP and never sends its ClientHello.
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await stderr.cancel();
  const stdout = await new Response(child.stdout).text();
  const { code } = await child.status;
  conn.close();
  assert.equal(code, 2, stdout);
  assert.match(stdout, /^result +ERROR at tls/m);
  assert.match(stdout, /our timeout, not the SUT's answer$/m);
});

Deno.test("dicomtls listen without a server certificate is bad usage (exit 2, one line)", async () => {
  const r = await runDicomtls(["listen", "--port", "0"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /certificate/);
});
