// Loading inbound suites (peers.sut.role: scu): the keys that exist outside
// the repo, work as written; triggers keep ${harness.*} and ${dicomtls} for
// the run; what only makes sense when we call the SUT is an error at its line.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../yaml/mod.ts";
import { loadSuite } from "./mod.ts";

const pkiSpec = fileURLToPath(
  new URL("../../fixtures/scenarios-broken/_pki/small.yaml", import.meta.url),
);
const work = await Deno.makeTempDir({ prefix: "dicomtls-scenario-inbound-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const pkiCacheDir = join(work, "cache");

async function load(name: string, text: string) {
  const file = join(work, name);
  await Deno.writeTextFile(file, text);
  return loadSuite({ file, pkiCacheDir, env: {} });
}

async function problem(name: string, text: string): Promise<string> {
  try {
    await load(name, text);
  } catch (e) {
    if (e instanceof InputError) return e.message.replace(`${join(work, name)}:`, "");
    throw e;
  }
  throw new Error("loaded without an error");
}

// The shape of inbound suites written outside the repo, key for key.
const OUTSIDE = `suite: a modality refuses bad servers
pki: ${pkiSpec}
peers:
  sut:
    role: scu
    ae: MODALITY
    trigger:
      command: [echoscu, +tls, "\${pki.client.key}", "\${pki.client.crt}", +cf, "\${pki.root.crt}", -aec, HARNESS, 127.0.0.1, "11119"]
  harness:
    host: 127.0.0.1
    port: 11119
    certificate: server
    trust: [root]
    verify: chain
cases:
  - name: trusted server certificate
    expect: { association: requested }
  - name: expired server certificate
    harness: { certificate: client-expired }
    expect: { tls: refused-by-peer }
`;

Deno.test("loadSuite() reads an inbound suite in the shape written outside the repo", async () => {
  const suite = await load("outside.yaml", OUTSIDE);
  const [trusted, expired] = suite.cases;
  assert.equal(suite.instances[0].sut.role, "scu");
  assert.deepEqual(trusted.inbound?.host, "127.0.0.1");
  assert.equal(trusted.inbound?.port, 11119);
  assert.equal(trusted.inbound?.trigger.kind, "command");
  assert.equal(trusted.harness.security.verify, "chain");
  assert.equal(trusted.harness.security.mutual, true);
  const cert = expired.harness.security.certificate;
  assert.ok(cert.kind === "pem" && cert.label === "client-expired");
  assert.deepEqual(trusted.expect.checks.map((c) => [c.path, c.expected]), [
    ["association", "requested"],
  ]);
});

Deno.test("loadSuite() keeps ${harness.*} and ${dicomtls} in triggers for the run, and $${ as written there", async () => {
  const suite = await load(
    "deferred.yaml",
    `suite: deferred
pki: ${pkiSpec}
peers:
  sut:
    role: scu
    ae: REFSCU
    trigger:
      command: ["\${dicomtls}", echo, "\${harness.host}:\${ harness.port }", --called, "\${harness.ae}", "$\${literal}"]
  harness: { certificate: server }
cases:
  - name: own trigger
    trigger: { http: { url: "http://127.0.0.1:8042/modalities/\${harness.ae}/echo", body: {} } }
    expect: { association: accepted }
  - name: the SUT's trigger
    expect: { tls: established }
  - name: an operator
    trigger: manual
    expect: { tls: established }
`,
  );
  const [own, sut, manual] = suite.cases;
  assert.deepEqual(own.inbound?.trigger, {
    kind: "http",
    method: "POST",
    url: "http://127.0.0.1:8042/modalities/${harness.ae}/echo",
    body: "{}",
    headers: { "Content-Type": "application/json" },
  });
  assert.deepEqual(sut.inbound?.trigger, {
    kind: "command",
    command: [
      "${dicomtls}",
      "echo",
      "${harness.host}:${harness.port}",
      "--called",
      "${harness.ae}",
      "$${literal}",
    ],
    cwd: work,
  });
  assert.deepEqual(manual.inbound?.trigger, { kind: "manual" });
  assert.equal(sut.inbound?.port, 0);
  assert.equal(sut.harness.security.verify, "none");
});

const base = (sut: string, rest = "") =>
  `suite: s
pki: ${pkiSpec}
peers:
  sut:
    role: scu
    ae: MODALITY
${sut}
  harness: { certificate: server }
cases:
  - name: c
${rest || "    expect: { tls: established }"}
`;

Deno.test("loadSuite() refuses what cannot work inbound, at the line that says it", async () => {
  assert.match(
    await problem("no-trigger.yaml", base("")),
    /^\d+:\d+: case 'c' has no trigger: nothing makes the SUT connect \(hint: add peers\.sut\.trigger/,
  );
  assert.match(
    await problem("split.yaml", base(`    trigger: { command: [x, "--prog=\${dicomtls}"] }`)),
    /^7:\d+: \$\{dicomtls\} stands for several arguments: it must be a command element of its own/,
  );
  assert.match(
    await problem(
      "op.yaml",
      base(`    trigger: manual`, "    operation: store\n    expect: { tls: established }"),
    ),
    /^\d+:\d+: operation is for role scp: an SCU under test chooses what it sends/,
  );
  assert.match(
    await problem(
      "called.yaml",
      base(`    trigger: manual`, "    harness: { calledAe: X }\n    expect: { tls: established }"),
    ),
    /^\d+:\d+: harness calledAe is for role scp: the SUT connects to us \(hint: set harness\.ae/,
  );
  assert.match(
    await problem("unknown-field.yaml", base(`    trigger: { command: [x, "\${harness.name}"] }`)),
    /undefined variable '\$\{harness\.name\}' \(hint: a trigger may use harness\.host, harness\.port, harness\.ae and dicomtls\)/,
  );
});

Deno.test("loadSuite() refuses ${harness.port} outside a trigger, and an inbound harness without a certificate", async () => {
  assert.match(
    await problem(
      "outside.yaml",
      base(`    trigger: manual\n    start: { command: [x, "\${harness.port}"] }`),
    ),
    /'\$\{harness\.port\}' is only known when an inbound case runs \(hint: use it in a trigger/,
  );
  assert.match(
    await problem(
      "no-cert.yaml",
      base(`    trigger: manual`).replace("{ certificate: server }", "{}"),
    ),
    /the harness listens for the SUT \(role scu\): it needs a certificate to present/,
  );
});

Deno.test("loadSuite() still requires host and port of an SCP under test", async () => {
  assert.match(
    await problem(
      "scp.yaml",
      base("").replace("role: scu", "role: scp").replace("{ certificate: server }", "{}"),
    ),
    /^\d+:\d+: peers\.sut needs host: where we connect to it/,
  );
});
