/**
 * A hostile device forging the console (issue 14): its certificate subject
 * carries ESC and 8-bit CSI sequences, CR, LF, NUL, DEL and bidi overrides,
 * built to erase lines and print "our check accepted ... result OK". We run
 * `dicomtls echo` as a subprocess against it and read the raw bytes of
 * stdout: no C0 byte but LF, no C1 or bidi code point, the exit code 1 and
 * the refusal visible; `--json` keeps the exact subject, escaped.
 */
import assert from "node:assert/strict";
import { x509 } from "../src/pki/_x509.ts";
import { toPem } from "../src/pki/mod.ts";
import tls from "node:tls";
import { startProcess } from "../src/process/mod.ts";
import { listenTls, loadCredentials } from "../src/tls/mod.ts";
import { dicomtlsCommand, spawnDicomtls, unsafeOnTerminal } from "../src/testing/cli.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { waitUntil } from "../src/testing/wait.ts";
/** What the attacker puts in CN and O: rewrite the line, move up, reorder text, hide bytes. */
const HOSTILE_CN = "evil\x1b[2K\r\x1b[1A\u009b2K\u009b1Aour check accepted\nresult OK\0\x7f";
const HOSTILE_O = "\u202Egnp.exe\u202C \u2066isolated\u2069 \u200Bzero-width";

async function hostileServerCredentials(dir: string) {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const name: x509.JsonName = [
    { CN: [{ utf8String: HOSTILE_CN }] },
    { O: [{ utf8String: HOSTILE_O }] },
  ] as unknown as x509.JsonName;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: new x509.Name(name),
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  await Deno.writeTextFile(`${dir}/evil.crt`, cert.toString("pem"));
  await Deno.writeTextFile(`${dir}/evil.key`, toPem("PRIVATE KEY", pkcs8), { mode: 0o600 });
  return await loadCredentials({ cert: `${dir}/evil.crt`, key: `${dir}/evil.key` });
}

async function echo(port: number, root: string, json: boolean) {
  const { code, stdout, stderr } = await spawnDicomtls(
    ["echo", `127.0.0.1:${port}`, "--called", "EVIL", "--ca", root, "--timeout", "5000"]
      .concat(json ? ["--json"] : []),
  ).output();
  return { code, stdout, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("dicomtls echo against a certificate subject built to forge the console prints no control character and fails visibly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-hostile-subject-" });
  const server = await listenTls({
    credentials: await hostileServerCredentials(dir),
    onConnection: () => {},
  });
  try {
    const root = pkiFile(await testPki(), "root", "crt");
    const text = await echo(server.port, root, false);
    assert.equal(text.code, 1, text.stderr);
    assert.deepEqual(unsafeOnTerminal(text.stdout), [], "text output");
    const shown = new TextDecoder().decode(text.stdout);
    assert.match(shown, /our check .*peer certificate refused/);
    assert.match(shown, /^result +FAILED at tls/m);
    assert.ok(shown.includes("CN=evil\\x1B[2K\\r\\x1B[1A\\x9B2K\\x9B1Aour check accepted"), shown);
    // The verifier's text names the subject as RFC 4514 does: CR and LF as hex escapes.
    assert.ok(shown.includes("accepted\\0Aresult OK\\x00\\x7F"), "the verifier's text, LF visible");
    assert.ok(shown.includes("\\u{202E}gnp.exe\\u{202C}"), shown);
    assert.equal(shown.split("\n").filter((l) => /^result/.test(l)).length, 1, shown);

    const json = await echo(server.port, root, true);
    assert.equal(json.code, 1, json.stderr);
    assert.deepEqual(unsafeOnTerminal(json.stdout), [], "--json output");
    const outcome = JSON.parse(new TextDecoder().decode(json.stdout));
    assert.equal(outcome.ok, false);
    assert.ok(outcome.tls.peer.subject.includes(HOSTILE_CN.slice(0, 10)), "the exact value kept");
    assert.ok(outcome.tls.peer.subject.includes("\u202Egnp.exe"), outcome.tls.peer.subject);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dicomtls serve logs a client certificate subject built to forge the console as safe JSON with the exact value", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-hostile-client-" });
  await hostileServerCredentials(dir); // the same hostile certificate, presented as a client's
  const pki = await testPki();
  const serve = await startProcess({
    command: dicomtlsCommand(["serve", "--port", "0", "--verify", "none", "--mutual", "true"]
      .concat(["--cert", pkiFile(pki, "server", "chain"), "--key", pkiFile(pki, "server", "key")])),
    ready: { log: /listening on \S+:\d+/, timeoutMs: 30_000 },
  });
  try {
    const port = Number(/listening on \S+:(\d+)/.exec(serve.log())![1]);
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      cert: await Deno.readTextFile(`${dir}/evil.crt`),
      key: await Deno.readTextFile(`${dir}/evil.key`),
      rejectUnauthorized: false,
    });
    socket.on("error", () => {});
    socket.once("secureConnect", () => socket.end());
    await new Promise((resolve) => socket.once("close", resolve));
    await waitUntil(() => serve.log().includes('"peerCertificate"'), 10_000);
    const line = serve.log().split("\n").find((l) => l.includes('"peerCertificate"'));
    assert.ok(line, serve.log());
    assert.deepEqual(unsafeOnTerminal(new TextEncoder().encode(line)), []);
    const entry = JSON.parse(line);
    assert.ok(entry.peerCertificate.subject.includes("\u202Egnp.exe"), line);
    assert.ok(entry.peerCertificate.subject.includes("\u009b2K"), line);
  } finally {
    await serve.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
