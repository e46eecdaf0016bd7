/**
 * A suite, group or signature algorithm name that no stack of ours takes is
 * bad input, found before anything connects or listens: `echo`, `store`,
 * `serve` and `listen` exit 2 with one line naming the flag, the name and
 * the nearest known one, and no connection reaches the target; an AE config
 * file's at its file:line:column. Every name the help, the schemas, the docs
 * and the shipped suites show is accepted, and they reach a real handshake
 * with storescp.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { freePort } from "../src/process/mod.ts";
import { main } from "../src/cli/mod.ts";
import {
  captureConsole,
  type DicomtlsResult,
  runDicomtls,
  spawnDicomtls,
} from "../src/testing/cli.ts";
import { runDicomtlsBatch } from "../src/testing/cli_batch.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { SECURITY_USAGE } from "../src/cli/_security_flags.ts";
import { type TlsNameList, tlsNameProblem } from "../src/tls/openssl/mod.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dcm = `${root}fixtures/ae/secondary_capture.dcm`;
const haveStorescp = havePeer("storescp", "dcmtk");

// The bad names, each with the line it must give (after "dicomtls COMMAND: ").
const BAD: [string[], string][] = [
  [
    ["--ciphers", "FOO_BAR"],
    "--ciphers: unknown cipher suite 'FOO_BAR' (hint: give an IANA or OpenSSL name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)",
  ],
  [
    ["--ciphers", "ECDHE-RSA-AES128-GCM-SHA256,TLS_AES_128_GCM_SHA256"],
    "--ciphers: 'TLS_AES_128_GCM_SHA256' is a TLS 1.3 suite (hint: TLS 1.3 suites go to --ciphersuites)",
  ],
  [
    ["--ciphersuites", "AES128-SHA"],
    "--ciphersuites: 'AES128-SHA' is not a TLS 1.3 suite (hint: TLS 1.2-and-older suites go to --ciphers)",
  ],
  [
    ["--ciphers", "AES128-SHA,,AES256-SHA"],
    "--ciphers: an empty entry in the list (hint: remove the extra comma, or the empty entry)",
  ],
  [
    ["--groups", "FOO"],
    "--groups: unknown group 'FOO' (hint: give an IANA or OpenSSL name, e.g. P-256, X25519)",
  ],
  [["--groups", "P-256,X25591"], "--groups: unknown group 'X25591' (hint: did you mean 'X25519'?)"],
  [
    ["--sigalgs", "rsa_pss_rsae_sha265"],
    "--sigalgs: unknown signature algorithm 'rsa_pss_rsae_sha265' (hint: did you mean 'rsa_pss_rsae_sha256'?)",
  ],
];

const LISTS: readonly TlsNameList[] = ["ciphers", "ciphersuites", "groups", "sigalgs"];
const LIST = "(ciphers|ciphersuites|groups|sigalgs)";

// The names after "e.g." up to the first word that is none: "e.g. `P-256`, `X25519` (Node's ..." .
function examples(text: string): string[] {
  const run = /e\.g\.\s+((?:['`]?[\w+.-]+['`]?(?:,\s*|\s+|$))+)/.exec(text)?.[1] ?? "";
  return run.split(/[,\s'`]+/).filter(Boolean);
}

// Every example name of each list that the help, the schemas, the docs and the suites show.
async function shownNames(): Promise<[TlsNameList, string, string][]> {
  const found: [TlsNameList, string, string][] = [];
  const add = (list: string, names: string[], where: string) =>
    names.forEach((n) => found.push([list as TlsNameList, n.replace(/^["']|["']$/g, ""), where]));
  for (const line of SECURITY_USAGE.split("\n")) {
    const flag = new RegExp(`^\\s*--${LIST} `).exec(line);
    if (flag) add(flag[1], examples(line), "--help");
  }
  for (const schema of ["ae", "scenario"]) {
    const walk = (node: unknown): void => {
      if (typeof node !== "object" || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        const description = (value as { description?: string })?.description;
        if (LISTS.includes(key as TlsNameList) && description) {
          add(key, examples(description), `${schema}.schema.json`);
        }
        walk(value);
      }
    };
    walk(JSON.parse(await Deno.readTextFile(`${root}schemas/${schema}.schema.json`)));
  }
  const texts: [string, string][] = [];
  for await (const e of Deno.readDir(`${root}docs`)) {
    if (e.name.endsWith(".md")) {
      texts.push([`docs/${e.name}`, await Deno.readTextFile(`${root}docs/${e.name}`)]);
    }
  }
  for await (const e of Deno.readDir(`${root}scenarios`)) {
    if (!e.isDirectory) continue;
    for await (const f of Deno.readDir(`${root}scenarios/${e.name}`)) {
      const file = `scenarios/${e.name}/${f.name}`;
      if (f.name.endsWith(".yaml")) texts.push([file, await Deno.readTextFile(`${root}${file}`)]);
    }
  }
  for (const [file, text] of texts) {
    for (const m of text.matchAll(new RegExp(`--${LIST}[ =]([\\w+.,-]+)`, "g"))) {
      if (m[2] !== "A,B") add(m[1], m[2].split(","), file);
    }
    for (const m of text.matchAll(new RegExp(`\\b${LIST}: \\[([^\\]]*)\\]`, "g"))) {
      add(m[1], m[2].split(",").map((n) => n.trim()), file);
    }
    // Table rows: | `groups` | e.g. `P-256`, ... | or | `groups` | `secp256r1`, ... |
    for (const m of text.matchAll(new RegExp(`^\\| \`${LIST}\`\\s*\\|(.*)\\|$`, "gm"))) {
      const cell = m[2];
      add(
        m[1],
        cell.includes("e.g.")
          ? examples(cell)
          : [...cell.matchAll(/`([\w+.-]+)`/g)].map((b) => b[1]),
        file,
      );
    }
  }
  return found;
}

Deno.test("every suite, group and signature algorithm name the help, schemas, docs and suites show is accepted", async () => {
  const found = await shownNames();
  const refused = found.flatMap(([list, name, where]) => {
    const p = tlsNameProblem(list, [name]);
    return p ? [`${where}: ${list} ${name}: ${p.message}`] : [];
  });
  assert.deepEqual(refused, []);
  // The extraction found the examples (it would pass on finding none).
  const names = new Set(found.map(([list, name]) => `${list} ${name}`));
  for (
    const shown of [
      "groups P-256",
      "groups X25519",
      "groups ffdhe2048",
      "sigalgs rsa_pss_rsae_sha256",
      "sigalgs ECDSA+SHA1",
      "ciphers AES128-SHA",
      "ciphers TLS_RSA_WITH_AES_128_CBC_SHA",
      "ciphersuites TLS_AES_128_CCM_8_SHA256",
    ]
  ) {
    assert.ok(names.has(shown), `${shown} not found among ${[...names].join(", ")}`);
  }
});

// A TCP listener that counts the connections it gets.
function countingListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  (async () => {
    for await (const conn of listener) {
      connections++;
      conn.close();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    connections: () => connections,
    close: () => listener.close(),
  };
}

// One line on stderr, naming the command once, no stack trace, exit 2.
function assertUsageError(r: DicomtlsResult, command: string, expected: string) {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stdout, "");
  assert.deepEqual(r.stderr.trimEnd().split("\n"), [`dicomtls ${command}: ${expected}`]);
}

// Runs a command that listens when its input is good: it must end, not print "listening on".
async function endsBeforeListening(args: string[]): Promise<DicomtlsResult> {
  const child = spawnDicomtls(args);
  const d = new TextDecoder();
  let [stdout, stderr, listened] = ["", "", false];
  const read = async (stream: ReadableStream<Uint8Array>, add: (s: string) => void) => {
    for await (const chunk of stream) {
      add(d.decode(chunk));
      if (!listened && /listening on/.test(stdout + stderr)) {
        listened = true;
        child.kill("SIGTERM");
      }
    }
  };
  const [{ code }] = await Promise.all([
    child.status,
    read(child.stdout, (s) => stdout += s),
    read(child.stderr, (s) => stderr += s),
  ]);
  assert.ok(!listened, `${args.join(" ")} listened with a bad name:\n${stdout}${stderr}`);
  return { code, stdout, stderr };
}

Deno.test("echo and store refuse each bad TLS name as a usage error, before connecting", async () => {
  const target = countingListener();
  const address = `127.0.0.1:${target.port}`;
  try {
    for (const [flags, expected] of BAD) {
      for (
        const [command, args] of [
          ["echo", ["echo", address, "--called", "X", "--verify", "none", ...flags]],
          ["store", ["store", address, dcm, "--called", "X", "--verify", "none", ...flags]],
        ] as const
      ) {
        const { value: code, out, err } = await captureConsole(() => main([...args]));
        assert.equal(code, 2, args.join(" "));
        assert.deepEqual([out, err], [[], [`dicomtls ${command}: ${expected}`]]);
      }
    }
    // As a program: one line on stderr, no stack trace (both in one child: cli_batch.ts).
    const [echo, store] = await runDicomtlsBatch([
      { args: ["echo", address, "--called", "X", "--verify", "none", ...BAD[0][0]] },
      { args: ["store", address, dcm, "--called", "X", "--verify", "none", ...BAD[1][0]] },
    ]);
    assertUsageError(echo, "echo", BAD[0][1]);
    assertUsageError(store, "store", BAD[1][1]);
    assert.equal(target.connections(), 0, "a connection was made");
  } finally {
    target.close();
  }
});

Deno.test("serve and listen refuse a bad TLS name as a usage error, before listening", async () => {
  const pki = await testPki();
  // A server certificate and --verify none: all it needs to listen.
  const server = [
    ...["--cert", pkiFile(pki, "server", "crt"), "--key", pkiFile(pki, "server", "key")],
    ...["--verify", "none"],
  ];
  for (const [flags, expected] of [BAD[0], BAD[4]]) {
    const port = String(freePort());
    assertUsageError(
      await endsBeforeListening(["serve", "--port", port, ...server, ...flags]),
      "serve",
      expected,
    );
    assertUsageError(
      await endsBeforeListening([
        "listen",
        "--port",
        port,
        "--timeout",
        "20s",
        ...server,
        ...flags,
      ]),
      "listen",
      expected,
    );
  }
});

Deno.test("an AE config's bad TLS name is refused at its file:line:column", async () => {
  const pki = await testPki();
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-tls-names-" });
  try {
    const config = `${dir}/ae.yaml`;
    await Deno.writeTextFile(
      config,
      `ae: REFAE
port: ${freePort()}
security:
  cert: ${pkiFile(pki, "server", "crt")}
  key: ${pkiFile(pki, "server", "key")}
  verify: none
  groups: [P-256, X25591]
`,
    );
    assertUsageError(
      await endsBeforeListening(["serve", "--config", config]),
      "serve",
      `${config}:7:19: unknown group 'X25591' (hint: did you mean 'X25519'?)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "the names the help shows, in any case, reach a real handshake with storescp: the suite, group and signature asked",
  ignore: !haveStorescp || !havePeer("node", "nodejs"),
  async fn() {
    const pki = await testPki();
    const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki, name, ext);
    const scp = await startStorescp({
      cert: file("server-rsa", "chain"),
      key: file("server-rsa", "key"),
      trust: [file("root", "crt")],
    });
    try {
      // OpenSSL itself takes "P-256" but not "p-256": the name is given to it as it spells it.
      const r = await runDicomtls([
        "echo",
        `127.0.0.1:${scp.port}`,
        "--called",
        "STORESCP",
        "--verify",
        "none",
        "--cert",
        file("client-rsa", "crt"),
        "--key",
        file("client-rsa", "key"),
        "--ciphers",
        "tls_ecdhe_rsa_with_aes_128_gcm_sha256",
        "--groups",
        "p-256",
        "--sigalgs",
        "rsa_pss_rsae_sha256,RSA+SHA256",
        "--json",
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const { tls, wire } = JSON.parse(r.stdout);
      assert.equal(tls.stack, "openssl");
      assert.equal(tls.cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      assert.equal(tls.group, "secp256r1");
      // What our ClientHello offered: exactly the group and signature algorithms named.
      const hello = wire.clientHello;
      const names = (refs: { name: string }[]) => refs.map((r) => r.name);
      assert.deepEqual(names(hello.supportedGroups), ["secp256r1"]);
      assert.deepEqual(names(hello.signatureAlgorithms), [
        "rsa_pss_rsae_sha256",
        "rsa_pkcs1_sha256",
      ]);
    } finally {
      await scp.stop();
    }
  },
});
