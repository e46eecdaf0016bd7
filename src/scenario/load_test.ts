// Loading real scenario files: the sketch as written, every harness
// and expectation form, interpolation and folders. One small PKI, generated
// once into a temporary cache shared by the whole file.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readManifest } from "../pki/mod.ts";
import { loadSuite, loadSuites } from "./mod.ts";

const pkiSpec = fileURLToPath(
  new URL("../../fixtures/scenarios-broken/_pki/small.yaml", import.meta.url),
);
const work = await Deno.makeTempDir({ prefix: "dicomtls-scenario-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const pkiCacheDir = join(work, "cache");

async function write(name: string, text: string): Promise<string> {
  const file = join(work, name);
  await Deno.mkdir(join(file, ".."), { recursive: true });
  await Deno.writeTextFile(file, text);
  return file;
}

// The sketch from issue 5, verbatim but for the PKI path.
const SKETCH = `suite: storescp refuses bad client certificates
pki: ${pkiSpec}          # generated and cached before the run; names usable below
peers:
  sut:                                       # the system under test
    role: scp                                # we connect to it as SCU
    ae: STORESCP
    host: \${env.SUT_HOST:-127.0.0.1}
    port: 11112
    start:                                   # optional: start it for this suite, stop it after
      command: [storescp, +tls, "\${pki.server.key}", "\${pki.server.crt}", +cf, "\${pki.root.crt}", -aet, STORESCP, "11112"]
      env: { TCP_NODELAY: "1" }
      ready: { port: 11112 }                 # or { log: "regex" }, with a timeout
  harness:
    ae: HARNESS
    certificate: client                      # a PKI name, files (cert/key or p12) or a store selection, or none
    trust: [root]
    verify: chain                            # none | chain | { thumbprint: [...] }, plus checkHostname
defaults: { timeout: 5s }
cases:
  - name: trusted client certificate is accepted
    expect: { echo: success, tls: { protocol: [TLSv1.2, TLSv1.3] } }
  - name: expired client certificate is refused
    harness: { certificate: client-expired }
    expect: { tls: refused-by-peer, alert: [certificate_expired, bad_certificate] }
  - name: server pinned by thumbprint
    harness: { verify: { thumbprint: ["\${pki.server.sha1}"] } }
    expect: { echo: success }
  - name: unknown calling AE is rejected
    harness: { ae: STRANGER }
    expect: { association: rejected, reason: calling-ae-title-not-recognized }
matrix:                                      # optional: run every case once per entry
  key: [ec-p256, rsa-2048]
`;

Deno.test("loadSuite() reads the issue's sketch with the meaning shown", async () => {
  const file = await write("sketch.yaml", SKETCH);
  const suite = await loadSuite({ file, env: {}, pkiCacheDir });
  assert.equal(suite.name, "storescp refuses bad client certificates");
  assert.deepEqual(suite.instances.map((i) => i.matrix), [{ key: "ec-p256" }, { key: "rsa-2048" }]);
  assert.equal(suite.cases.length, 8);

  // The matrix key sets the PKI's default key type.
  for (const instance of suite.instances) {
    const manifest = await readManifest(instance.pki!.dir);
    const client = manifest.entries.find((e) => e.name === "client")!;
    assert.equal(client.keyType, instance.matrix!.key);
  }
  const [trusted, expired, pinned, stranger] = suite.cases;
  const pki = suite.instances[0].pki!.dir;
  const server = (await readManifest(pki)).entries.find((e) => e.name === "server")!;

  assert.deepEqual(trusted.sut, {
    role: "scp",
    ae: "STORESCP",
    host: "127.0.0.1",
    port: 11112,
    start: {
      command: [
        "storescp",
        "+tls",
        join(pki, "server.key"),
        join(pki, "server.crt"),
        "+cf",
        join(pki, "root.crt"),
        "-aet",
        "STORESCP",
        "11112",
      ],
      env: { TCP_NODELAY: "1" },
      cwd: work,
      ready: { port: 11112, timeoutMs: 10_000 },
    },
  });
  assert.equal(
    trusted.id.endsWith("sketch.yaml::trusted client certificate is accepted[key=ec-p256]"),
    true,
  );
  assert.equal(trusted.group, suite.instances[0].id);
  assert.equal(trusted.timeoutMs, 5000);
  assert.deepEqual(trusted.harness.security.ca, [join(pki, "root.crt")]);
  assert.equal(trusted.harness.security.verify, "chain");
  assert.deepEqual(trusted.harness.security.certificate, {
    kind: "pem",
    cert: join(pki, "client.chain.pem"),
    key: join(pki, "client.key"),
    label: "client",
  });
  assert.deepEqual(
    trusted.expect.checks.map((c) => [c.path, c.expected, c.location.line]),
    [["echo", "success", 21], ["tls.protocol", ["TLSv1.2", "TLSv1.3"], 21]],
  );
  assert.equal(
    expired.harness.security.certificate.kind === "pem" &&
      expired.harness.security.certificate.label,
    "client-expired",
  );
  assert.deepEqual(expired.expect.checks.map((c) => c.path), ["tls", "alert"]);
  assert.deepEqual(
    [pinned.harness.security.verify, pinned.harness.security.thumbprints],
    ["thumbprint", [server.sha1]],
  );
  assert.equal(stranger.harness.callingAe, "STRANGER");
  assert.equal(stranger.harness.calledAe, "STORESCP");
  assert.deepEqual(stranger.expect.checks.map((c) => c.expected), [
    "rejected",
    "calling-ae-title-not-recognized",
  ]);
  assert.notEqual(
    suite.cases[4].harness.security.ca[0],
    trusted.harness.security.ca[0],
    "each key type has its own PKI",
  );
});

Deno.test("loadSuite() takes the SUT host from the environment when it is set", async () => {
  const file = await write("sketch.yaml", SKETCH);
  const suite = await loadSuite({ file, env: { SUT_HOST: "127.0.0.2" }, pkiCacheDir });
  assert.equal(suite.cases[0].sut.host, "127.0.0.2");
});

Deno.test("loadSuite() resolves every certificate, trust and verify form and merges defaults", async () => {
  // Real files: the loader opens every certificate a suite names (the EC PKI's client).
  const cached = join(
    work,
    "cache",
    (await Array.fromAsync(Deno.readDir(pkiCacheDir))).find((e) =>
      e.isDirectory && e.name.includes("ec-p256")
    )!.name,
  );
  const pem = await Deno.readTextFile(join(cached, "client.crt"));
  await write("files/vendor.crt", pem);
  await write("files/vendor.key", await Deno.readTextFile(join(cached, "client.key")));
  await Deno.writeFile(
    join(work, "files/vendor.p12"),
    await Deno.readFile(join(cached, "client.p12")),
  );
  await write("files/ca.pem", pem);
  await Deno.mkdir(join(work, "store"), { recursive: true });
  await Deno.copyFile(join(cached, "client.p12"), join(work, "store/harness.p12"));
  // validate reads a store file whole, as store would send it.
  await Deno.copyFile(
    new URL("../../fixtures/ae/secondary_capture.dcm", import.meta.url),
    join(work, "files/image.dcm"),
  );
  const file = await write(
    "forms.yaml",
    `# yaml-language-server: $schema=../schemas/scenario.schema.json
suite: every form
description: harness and expectation forms
tags: [forms]
pki: ${pkiSpec}
concurrency: 4
peers:
  sut: { ae: SCP, host: 127.0.0.1, port: "\${set.PORT}", concurrency: 1 }
  harness: { ae: ME, certificate: none }
defaults:
  timeout: 500ms
  tags: [default-tag]
  expect: { duration: { max: 2s } }
cases:
  - name: files
    tags: [pem]
    harness: { certificate: { cert: files/vendor.crt, key: files/vendor.key }, trust: files/ca.pem }
    expect: { echo: success, fails: true }
  - name: p12 and hostname
    timeout: 3000
    harness:
      certificate: { p12: "\${suite.dir}/files/vendor.p12", password: dicomtls }
      trust: [root, files/ca.pem]
      verify: { method: chain, checkHostname: true }
      tls: { min: TLSv1.2, max: TLSv1.3 }
      calledAe: WRONG
    expect: { association: rejected, reason: Called-AE-Title-Not-Recognized, result: rejected-permanent }
  - name: store by subject
    harness: { certificate: { store: store, subject: HARNESS, password: dicomtls }, verify: { thumbprint: "\${pki.server.sha1}; \${pki.root.sha256}" } }
    expect: { tls: { status: [established], cipher: TLS_AES_128_GCM_SHA256 }, peer: { subject: CN=localhost } }
  - name: C-STORE
    operation: store
    files: [files/image.dcm]
    harness: { certificate: client, checkHostname: true, verify: none }
    expect: { store: success, dimse: { status: 0 }, duration: { max: 1m } }
  - name: not yet
    skip: waiting for the vendor's fix
  - name: literal \$\${dollar}
    expect: { stage: release }
`,
  );
  const suite = await loadSuite({ file, set: { PORT: "104" }, env: {}, pkiCacheDir });
  const [files, p12, store, cstore, skipped, literal] = suite.cases;
  const pki = suite.instances[0].pki!.dir;
  assert.equal(suite.instances[0].concurrency, 1);
  assert.equal(files.sut.port, 104);
  assert.deepEqual(files.harness.security.certificate, {
    kind: "pem",
    cert: join(work, "files/vendor.crt"),
    key: join(work, "files/vendor.key"),
  });
  assert.deepEqual(files.harness.security.ca, [join(work, "files/ca.pem")]);
  assert.equal(files.harness.security.verify, "chain", "trust without verify means chain");
  assert.deepEqual(files.tags, ["forms", "default-tag", "pem"]);
  assert.equal(files.expect.fails, true);
  assert.deepEqual(files.expect.checks.map((c) => c.path), ["duration.max", "echo"]);
  assert.equal(files.timeoutMs, 500);

  assert.deepEqual(p12.harness, {
    callingAe: "ME",
    calledAe: "WRONG",
    security: {
      certificate: { kind: "p12", p12: join(work, "files/vendor.p12"), password: "dicomtls" },
      ca: [join(pki, "root.crt"), join(work, "files/ca.pem")],
      verify: "chain",
      thumbprints: [],
      checkHostname: true,
      mutual: true,
      tls: { min: "TLSv1.2", max: "TLSv1.3" },
    },
  });
  assert.equal(p12.timeoutMs, 3000);
  assert.equal(
    p12.expect.checks.find((c) => c.path === "reason")!.expected,
    "called-ae-title-not-recognized",
  );

  const manifest = await readManifest(pki);
  const sha = (name: string, h: "sha1" | "sha256") =>
    manifest.entries.find((e) => e.name === name)![h];
  assert.deepEqual(store.harness.security.certificate, {
    kind: "store",
    store: join(work, "store"),
    subject: "HARNESS",
    password: "dicomtls",
  });
  assert.deepEqual([store.harness.security.verify, store.harness.security.thumbprints], [
    "thumbprint",
    [sha("server", "sha1"), sha("root", "sha256")],
  ]);
  assert.deepEqual(store.expect.checks.map((c) => c.path), [
    "duration.max",
    "tls.status",
    "tls.cipher",
    "peer.subject",
  ]);

  assert.equal(cstore.operation, "store");
  assert.deepEqual(cstore.files, [join(work, "files/image.dcm")]);
  assert.deepEqual([cstore.harness.security.checkHostname, cstore.harness.security.verify], [
    true,
    "none",
  ]);
  assert.equal(cstore.expect.checks.find((c) => c.path === "duration.max")!.expected, "1m");

  assert.equal(skipped.skip, "waiting for the vendor's fix");
  assert.equal(literal.name, "literal ${dollar}");
});

Deno.test("loadSuites() loads a folder's *.yaml files in name order", async () => {
  const dir = join(work, "folder");
  const body = (n: string) =>
    `suite: ${n}\npeers:\n  sut: { ae: A, host: 127.0.0.1, port: 104 }\ncases:\n  - { name: c, expect: { echo: success } }\n`;
  await write("folder/b.yaml", body("b"));
  await write("folder/a.yaml", body("a"));
  await write("folder/notes.txt", "not a suite");
  const suites = await loadSuites([dir], { env: {} });
  assert.deepEqual(suites.map((s) => s.name), ["a", "b"]);
  assert.deepEqual(suites[0].cases[0].harness, {
    callingAe: "DICOMTLS",
    calledAe: "A",
    security: {
      certificate: { kind: "none" },
      ca: [],
      verify: "none",
      thumbprints: [],
      checkHostname: false,
      mutual: true,
      tls: {},
    },
  });
  assert.equal(suites[0].cases[0].timeoutMs, 10_000);
});

Deno.test("loadSuite() gives the same case in every matrix entry one harness and one expectation object", async () => {
  const file = await write(
    "shared.yaml",
    `suite: shared parts
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 11112 }
  harness: { ae: HARNESS, certificate: none }
matrix: { n: [1, 2, 3] }
cases:
  - { name: one, expect: { echo: success } }
  - { name: two, expect: { echo: failure } }
`,
  );
  const { cases } = await loadSuite({ file, env: {}, pkiCacheDir });
  assert.equal(cases.length, 6);
  const [one, two, oneAgain] = cases;
  assert.equal(one.expect, oneAgain.expect);
  assert.equal(one.harness, two.harness);
  assert.notEqual(one.expect, two.expect);
  assert.deepEqual([one.matrix, oneAgain.matrix], [{ n: "1" }, { n: "2" }]);
  assert.notEqual(one.id, oneAgain.id);
});

Deno.test("loadSuite() interpolates the suite's name for the suite, each instance and each case", async () => {
  const file = await write(
    "named.yaml",
    `suite: hostile \${set.name} \${matrix.n}
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 11112 }
  harness: { ae: HARNESS, certificate: none }
matrix: { n: [1, 2] }
cases:
  - { name: one, expect: { echo: success } }
`,
  );
  const suite = await loadSuite({ file, set: { name: "x" }, env: {}, pkiCacheDir });
  assert.equal(suite.name, "hostile x 1");
  assert.deepEqual(suite.instances.map((i) => i.name), ["hostile x 1", "hostile x 2"]);
  assert.deepEqual(suite.cases.map((c) => c.suite), ["hostile x 1", "hostile x 2"]);
});

Deno.test("loadSuite() refuses any two cases with one id: a repeated matrix value, names alike once interpolated, labels alike", async () => {
  const head = `suite: ids
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 11112 }
  harness: { ae: HARNESS, certificate: none }
`;
  const refused = async (name: string, text: string, set: Record<string, string> = {}) => {
    const file = await write(name, head + text);
    const e = await loadSuite({ file, set, env: {}, pkiCacheDir }).then(() => undefined, (e) => e);
    assert.ok(e, `${name} was accepted`);
    return String(e.message).replaceAll(`${work}/`, "");
  };
  const repeated = (values: string) =>
    `matrix:\n  a: ${values}\ncases:\n  - { name: one, expect: { echo: success } }\n`;
  assert.match(
    await refused("x-x.yaml", repeated("[x, x]")),
    /^x-x\.yaml:6:10: matrix value 'x' of 'a' repeats/,
  );
  assert.match(
    await refused("1-1.yaml", repeated('[1, "1"]')),
    /^1-1\.yaml:6:10: matrix value '1' of 'a' repeats/,
  );
  assert.match(
    await refused(
      "label.yaml",
      `matrix:\n  a: [x, "x,b=y"]\n  b: ["y,b=y", y]\ncases:\n  - { name: one, expect: { echo: success } }\n`,
    ),
    /^label\.yaml:5:1: two matrix entries give the same label \[a=x,b=y,b=y\]/,
  );
  const names = `matrix: { n: [1, 2] }
cases:
  - { name: "c \${set.A}", expect: { echo: success } }
  - { name: "c \${set.B}", expect: { echo: success } }
`;
  assert.match(
    await refused("names.yaml", names, { A: "1", B: "1" }),
    /^names\.yaml:8:13: duplicate case name 'c 1' once \$\{\.\.\.\} is replaced \(first at names\.yaml:7:13\)/,
  );
  const file = await write("names-ok.yaml", head + names);
  const { cases } = await loadSuite({ file, set: { A: "1", B: "2" }, env: {}, pkiCacheDir });
  assert.equal(new Set(cases.map((c) => c.id)).size, 4);
});

Deno.test("loadSuite() of an empty file, or one of comments only, says the file is empty", async () => {
  for (const [name, text] of [["empty.yaml", ""], ["comments.yaml", "# a suite, one day\n"]]) {
    const file = await write(name, text);
    await assert.rejects(
      () => loadSuite({ file, pkiCacheDir }),
      (e: Error) => {
        assert.equal(
          e.message.replace(`${file}:`, ""),
          "1:1: the file is empty: no suite in it (hint: start it with 'suite: NAME', then 'peers:' and 'cases:'; docs/scenarios.md has a complete example)",
        );
        return true;
      },
    );
  }
});
