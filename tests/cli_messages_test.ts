/**
 * The command line speaks to people: `--version`; hints that fit what was
 * typed (a DCMTK option gets our spelling, a bad duration an example of a
 * duration); durations with units as in YAML; credentials mixed up or a
 * password missing said so; colour as FORCE_COLOR/NO_COLOR ask and `-v`
 * showing every case on a terminal; --filter on names, not paths.
 * Command lines that need no environment of their own run in one child
 * process (src/testing/cli_batch.ts): a child each spent ~0.3-1 CPU-seconds
 * loading.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/mod.ts";
import { freePort } from "../src/process/mod.ts";
import { captureConsole, dicomtlsCommand, runDicomtls } from "../src/testing/cli.ts";
import { runDicomtlsBatch } from "../src/testing/cli_batch.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { startListener } from "../src/testing/listeners.ts";
import config from "../deno.json" with { type: "json" };

const root = fileURLToPath(new URL("..", import.meta.url));

// Runs `dicomtls ARGS...` in-process and returns its exit code and output lines.
async function run(args: string[]) {
  const { value: code, out, err } = await captureConsole(() => main(args));
  return { code, out, err };
}

// One line, the command named once, every quote closed.
function assertOneLine(err: string[], command: string) {
  assert.equal(err.length, 1, err.join("\n"));
  assert.ok(err[0].startsWith(`dicomtls ${command}: `), err[0]);
  assert.ok(!err[0].includes(`dicomtls ${command}: dicomtls`), `doubled prefix: ${err[0]}`);
  const quotes = err[0].replace(/'s\b/g, "").match(/'/g) ?? [];
  assert.equal(quotes.length % 2, 0, `an open quote: ${err[0]}`);
  assert.doesNotMatch(err[0], /To specify a positional/);
}

Deno.test("dicomtls --version prints the version of deno.json and the runtime's", async () => {
  const { code, out } = await run(["--version"]);
  assert.equal(code, 0);
  assert.equal(
    out[0],
    `dicomtls ${config.version} (Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`,
  );
});

Deno.test("a DCMTK option spelling is answered with ours, once, quotes closed", async () => {
  const cases: [string[], string, RegExp][] = [
    [
      ["echo", "127.0.0.1:11112", "-aec", "STORESCP"],
      "echo",
      /unknown option '-aec' \(hint: did you mean --called \(DCMTK's -aec\)\?\)/,
    ],
    [
      ["echo", "127.0.0.1:11112", "--called", "X", "+cf", "ca.crt"],
      "echo",
      /unknown option '\+cf' \(hint: did you mean --ca \(DCMTK's \+cf\)\?\)/,
    ],
    [
      ["store", "127.0.0.1:11112", "f.dcm", "-aet", "ME"],
      "store",
      /did you mean --calling \(DCMTK's -aet\)\?/,
    ],
    [["serve", "-aet", "ME"], "serve", /did you mean --ae \(DCMTK's -aet\)\?/],
    [
      ["echo", "127.0.0.1:11112", "--calld", "X"],
      "echo",
      /unknown option '--calld' \(hint: did you mean --called\?\)/,
    ],
    [
      ["echo", "127.0.0.1:11112", "--called", "X", "--timeout"],
      "echo",
      /option '--timeout <value>' argument missing/,
    ],
  ];
  for (const [args, command, expected] of cases) {
    const { code, err } = await run(args);
    assert.equal(code, 2, args.join(" "));
    assertOneLine(err, command);
    assert.match(err[0], expected);
  }
});

Deno.test("durations take units on the command line as in YAML, and a bad value's hint is a value that works", async () => {
  const port = String(freePort()); // nothing listens: the connection is refused at once
  const ok = await run([
    "echo",
    `127.0.0.1:${port}`,
    "--called",
    "X",
    "--verify",
    "none",
    "--timeout",
    "2s",
  ]);
  assert.equal(ok.code, 1);
  assert.match(ok.out.join("\n"), /refused/);
  const wrong: [string[], string, RegExp][] = [
    [
      ["echo", "127.0.0.1:11112", "--called", "X", "--timeout", "abc"],
      "echo",
      /--timeout must be a duration such as 500ms, 5s or 2m .*not 'abc' \(hint: e\.g\. --timeout 5s\)/,
    ],
    [
      ["run", "scenarios/demo", "--timeout", "0"],
      "run",
      /--timeout must be from 1ms to 60m, not '0' \(hint: e\.g\. --timeout 5s\)/,
    ],
    [
      ["run", "scenarios/demo", "--concurrency", "0"],
      "run",
      /--concurrency must be a whole number from 1 to 1000, not '0' \(hint: e\.g\. --concurrency 4\)/,
    ],
    [
      ["run", "scenarios/demo", "--deadline", "5 minutes"],
      "run",
      /\(hint: e\.g\. --deadline 30m\)/,
    ],
    [["serve", "--idle-timeout", "x"], "serve", /\(hint: e\.g\. --idle-timeout 15s\)/],
  ];
  for (const [args, command, expected] of wrong) {
    const { code, err } = await run(args);
    assert.equal(code, 2, args.join(" "));
    assertOneLine(err, command);
    assert.match(err[0], expected);
    assert.doesNotMatch(err[0], /e\.g\. \S+ 104/);
  }
});

Deno.test("a certificate and key swapped, or a PKCS#12 without its password, are said so", async () => {
  const pki = await testPki();
  const common = ["echo", "127.0.0.1:11112", "--called", "X", "--ca", pkiFile(pki, "root", "crt")];
  const swapped = await run([
    ...common,
    "--cert",
    pkiFile(pki, "client", "key"),
    "--key",
    pkiFile(pki, "client", "crt"),
  ]);
  assert.equal(swapped.code, 2);
  assertOneLine(swapped.err, "echo");
  assert.match(
    swapped.err[0],
    /client\.key: holds a private key, not a certificate \(hint: the certificate and the key are swapped\?/,
  );
  assert.doesNotMatch(swapped.err[0], /BER|ASN/);
  const noPassword = await run([...common, "--p12", pkiFile(pki, "client", "p12")]);
  assert.equal(noPassword.code, 2);
  assert.match(
    noPassword.err[0],
    /protected by a password and none was given \(hint: give --password\)/,
  );
  const wrong = await run([...common, "--p12", pkiFile(pki, "client", "p12"), "--password", "x"]);
  assert.match(wrong.err[0], /wrong password \(hint: check --password\)/);
});

Deno.test("FORCE_COLOR colours a pipe, NO_COLOR keeps it plain, and --filter matches case names, not the file path", async () => {
  const suite = "scenarios/demo/chain.yaml";
  const forced = await runDicomtls(["run", suite, "--filter", "trusted"], {
    cwd: root,
    env: { FORCE_COLOR: "1" },
  });
  assert.equal(forced.code, 0, forced.stdout + forced.stderr);
  assert.ok(forced.stdout.includes("\u001b["), forced.stdout);
  const [plain, byPath] = await runDicomtlsBatch([
    { args: ["run", suite, "--filter", "trusted"] },
    { args: ["run", suite, "--filter", "chain.yaml"] },
  ], { cwd: root });
  assert.ok(!plain.stdout.includes("\u001b["), plain.stdout);
  assert.match(plain.stdout, /^PASS /m);
  assert.equal(byPath.code, 2);
  assert.match(byPath.stderr, /no case selected/);
});

Deno.test({
  name: "on a terminal -v shows a line for every case; without it only what did not pass",
  ignore: !havePeer("script", "bsdutils"),
  async fn() {
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    const onTty = async (extra: string[]) => {
      const command = dicomtlsCommand(["run", "scenarios/demo/chain.yaml", ...extra]);
      const { stdout } = await new Deno.Command("script", {
        args: ["-qec", command.map(quote).join(" "), "/dev/null"],
        cwd: root,
        env: { NO_COLOR: "1", TERM: "dumb" },
        stdin: "null",
        stdout: "piped",
      }).output();
      return new TextDecoder().decode(stdout);
    };
    const quiet = await onTty([]);
    const verbose = await onTty(["-v"]);
    const passes = (text: string) => (text.match(/PASS /g) ?? []).length;
    assert.match(quiet, /passed/);
    assert.equal(passes(quiet), 0, quiet);
    assert.ok(passes(verbose) >= 3, verbose);
  },
});

Deno.test("a folder, cache or TMPDIR that cannot be written is bad input: one line naming it, exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-unwritable-" });
  const file = `${dir}/afile`;
  await Deno.writeTextFile(file, "");
  const linux = Deno.build.os === "linux";
  try {
    const wrong: [string[], string, RegExp][] = [
      [
        ["init", file],
        "init",
        /cannot write .*afile: it exists and is not a folder \(hint: choose for DIR a new folder/,
      ],
      [["init", `${file}/dev`], "init", /cannot write .*afile\/dev: it, or a folder on its path/],
      [
        ["run", "scenarios/demo/none.yaml", "--pki-cache", file],
        "run",
        /cannot use .*afile as the PKI cache: it exists and is not a folder \(hint: give --pki-cache/,
      ],
      ...(linux
        ? [
          [["init", "/proc/dicomtls-x"], "init", /cannot write \/proc\/dicomtls-x: /],
          [
            ["run", "scenarios/demo/none.yaml", "--pki-cache", "/sys/dicomtls-x"],
            "run",
            /cannot use \/sys\/dicomtls-x as the PKI cache: the operation is not permitted there/,
          ],
        ] as [string[], string, RegExp][]
        : []),
    ];
    for (const [args, command, expected] of wrong) {
      const { code, err } = await run(args);
      assert.equal(code, 2, `${args.join(" ")}: ${err.join("\n")}`);
      assertOneLine(err, command);
      assert.match(err[0], expected);
    }
    // validate lists each suite's problem as its own line (no command prefix).
    const validate = await run(["validate", "scenarios/demo/none.yaml", "--pki-cache", file]);
    assert.equal(validate.code, 2);
    assert.deepEqual(validate.err.length, 1, validate.err.join("\n"));
    assert.match(validate.err[0], /^cannot use .*afile as the PKI cache: it exists/);

    const tmp = await runDicomtls(["run", "scenarios/demo/none.yaml"], {
      cwd: root,
      env: { TMPDIR: file },
    });
    assert.equal(tmp.code, 2, tmp.stdout + tmp.stderr);
    assert.equal(
      tmp.stderr.trim(),
      `dicomtls run: cannot make temporary files in TMPDIR (${file}): it, or a folder on its path, is a file (hint: set TMPDIR to a folder you may write to, or unset it)`,
    );
    assert.equal(tmp.stdout, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unusable Deno cache is said so in one line with the fix, exit 2, no stack fragment", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-deno-dir-" });
  try {
    const file = `${dir}/afile`;
    await Deno.writeTextFile(file, "");
    // A fresh cache (a file): the npm modules validate loads cannot be cached (or fetched).
    const r = await runDicomtls(["validate", "scenarios/dcmtk/storescp.yaml"], {
      cwd: root,
      env: { DENO_DIR: file, XDG_CACHE_HOME: file },
    });
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("dicomtls"));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0],
      new RegExp(
        `^dicomtls validate: the Deno cache ${file} is unusable: failed .*\\(hint: .*DENO_DIR`,
      ),
    );
    assert.doesNotMatch(r.stderr, /internal error|\\x1B|\\n\s+at /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a negative or dash-leading value reaches the flag's own check; an option in its place is said so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-dash-" });
  try {
    const wrong: [string[], string, RegExp][] = [
      [
        ["run", "scenarios/demo", "--timeout", "-5"],
        "run",
        /--timeout must be from 1ms to 60m, not '-5' \(hint: e\.g\. --timeout 5s\)/,
      ],
      [
        ["run", "scenarios/demo", "--concurrency", "-1"],
        "run",
        /--concurrency must be a whole number from 1 to 1000, not '-1'/,
      ],
      [
        ["echo", "127.0.0.1:11112", "--called", "X", "--timeout", "-2s"],
        "echo",
        /--timeout must be from 1ms to 60m, not '-2s'/,
      ],
      [
        ["init", `${dir}/dev`, "--host", "-x"],
        "init",
        /--host: host "-x" is neither an IP address nor a DNS name \(hint: give an IP address /,
      ],
      [
        ["run", "scenarios/demo", "--timeout", "-v"],
        "run",
        /option '--timeout' has no value \('-v' is an option of run\) \(hint: give its value after it, or as --timeout=VALUE\)/,
      ],
    ];
    for (const [args, command, expected] of wrong) {
      const { code, err } = await run(args);
      assert.equal(code, 2, args.join(" "));
      assertOneLine(err, command);
      assert.match(err[0], expected);
      assert.doesNotMatch(err[0], /ambiguous/);
    }
    assert.equal(await Deno.lstat(`${dir}/dev`).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("small slips: -v before a command, help COMMAND, [::1] kept, a PEM file as --p12, --ciphers on echo, --pki named as given", async () => {
  const v = await run(["-v"]);
  assert.equal(v.code, 2);
  assert.deepEqual(v.err, [
    "dicomtls: unknown option '-v' (hint: -v is an option of run; did you mean --version (-V)?)",
  ]);
  const help = await run(["help", "run"]);
  assert.equal(help.code, 0);
  assert.match(help.out[0], /^usage: dicomtls run PATH/);

  const refused = await run(["echo", `[::1]:${freePort()}`, "--called", "X", "--verify", "none"]);
  if (!refused.out.join("\n").includes("address not available")) {
    assert.match(refused.out[0], /^TCP +\S+: \[::1\]:\d+/);
  }

  const pki = await testPki();
  const pem = await run([
    "echo",
    "127.0.0.1:11112",
    "--called",
    "X",
    "--verify",
    "none",
    "--p12",
    pkiFile(pki, "client", "crt"),
  ]);
  assert.equal(pem.code, 2);
  assertOneLine(pem.err, "echo");
  assert.match(
    pem.err[0],
    /not a PKCS#12 file: it is PEM text \(certificate\) \(hint: .*give PEM files as --cert and --key\)/,
  );

  if (havePeer("node", "nodejs")) {
    const silent = await startListener("silent");
    try {
      const ciphers = await run([
        "echo",
        `127.0.0.1:${silent.port}`,
        "--called",
        "X",
        "--verify",
        "none",
        "--ciphers",
        // A suite Node's OpenSSL lacks: OpenSSL's refusal (an unknown name is refused before).
        "DES-CBC3-SHA",
        "--timeout",
        "2s",
      ]);
      assert.equal(ciphers.code, 2, ciphers.err.join("\n"));
      assertOneLine(ciphers.err, "echo");
      assert.match(ciphers.err[0], /\(hint: check --ciphers /);
      assert.doesNotMatch(ciphers.err[0], /the case's/);
    } finally {
      await silent.close();
    }
  }

  // A PKI folder from another spec: the message names the folder as given, not that spec.
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-named-" });
  try {
    await Deno.writeTextFile(
      `${dir}/mini.yaml`,
      "authorities:\n  - { name: root }\ncertificates:\n  - { name: server, issuer: root, usage: server }\n",
    );
    const [made, r] = await runDicomtlsBatch([
      { args: ["pki", "mini.yaml", "--out", "o1", "-q"] },
      {
        args: [
          "validate",
          `${root}/scenarios/device/scp.yaml`,
          "--pki",
          "o1",
          "--set",
          "host=h",
          "--set",
          "port=1",
          "--set",
          "ae=A",
        ],
      },
    ], { cwd: dir });
    assert.equal(made.code, 0, made.stderr);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /unknown PKI name '\S+' in certificate \(hint: the PKI o1 has: root, server\)/,
    );
    assert.doesNotMatch(r.stderr, /mini\.yaml has/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
