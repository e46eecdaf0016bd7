/**
 * `validate` knows what `run` will fail on: every problem of a file (each
 * broken case, not only the first), and a folder's files that are not
 * suites (a PKI spec, a variables file) listed as ignored with the reason,
 * not reported as unknown keys. `init` scaffolds a device whose suite
 * validates with `--vars` and its PKI folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { captureConsole } from "../src/testing/cli.ts";
import { main } from "../src/cli/mod.ts";

const small = fileURLToPath(
  new URL("../fixtures/scenarios-broken/_pki/small.yaml", import.meta.url),
);

// Runs `dicomtls ARGS...` in-process and returns its exit code and output lines.
async function run(args: string[]) {
  const { value: code, out, err } = await captureConsole(() => main(args));
  return { code, out, err };
}

const BROKEN = `suite: broken in four places
pki: ${small}
peers:
  sut: { ae: SCP, host: 127.0.0.1, port: 11112 }
  harness: { certificate: client, trust: [root] }
cases:
  - name: unknown certificate
    harness: { certificate: clinet }
    expect: { echo: success }
  - name: unknown alert
    expect: { tls: refused-by-peer, alert: unknwon_ca }
  - name: undefined variable
    harness: { calledAe: "\${set.NOWHERE}" }
    expect: { echo: success }
  - name: fine
    expect: { echo: success }
  - name: fine
    expect: { echo: success }
`;

Deno.test("validate reports every problem of a suite, one line each in file order, and lists a folder's non-suites as ignored", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-validate-" });
  try {
    await Deno.writeTextFile(join(dir, "broken.yaml"), BROKEN);
    await Deno.copyFile(small, join(dir, "pki.yaml"));
    await Deno.writeTextFile(join(dir, "vars.yaml"), "host: 10.0.0.7\nport: 2762\n");
    const { code, out, err } = await run(["validate", "--pki-cache", join(dir, "cache"), dir]);
    assert.equal(code, 2);
    assert.deepEqual(out, [
      `${dir}/pki.yaml: ignored: a PKI spec (authorities, certificates), not a suite`,
      `${dir}/vars.yaml: ignored: no top-level 'suite:' (its keys: host, port)`,
    ]);
    const lines = err.map((l) => l.replace(`${dir}/`, ""));
    assert.equal(lines.length, 4, lines.join("\n"));
    assert.deepEqual(lines.map((l) => l.split(": ")[0]), [
      "broken.yaml:8:29",
      "broken.yaml:11:44",
      "broken.yaml:13:27",
      "broken.yaml:17:11",
    ]);
    assert.match(
      lines[0],
      /unknown PKI name 'clinet' in certificate \(hint: did you mean 'client'\?\)$/,
    );
    assert.match(
      lines[1],
      /unknown TLS alert name 'unknwon_ca' \(hint: did you mean 'unknown_ca'\?\)$/,
    );
    assert.match(lines[2], /undefined variable '\$\{set\.NOWHERE\}'/);
    assert.match(lines[3], /duplicate case name 'fine'/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("validate of one suite named twice, or by its folder and itself, validates it once and says so, as run does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-validate-" });
  try {
    const suite = join(dir, "s.yaml");
    await Deno.writeTextFile(
      suite,
      BROKEN.replace(
        /\n {2}- name: unknown certificate[^]*$/,
        `
  - name: fine
    expect: { echo: success }
`,
      ),
    );
    const { code, out, err } = await run(
      ["validate", "--pki-cache", join(dir, "cache"), suite, suite, `${dir}/./s.yaml`, dir],
    );
    assert.equal(code, 0, err.join("\n"));
    assert.deepEqual(out, [`${suite}: ok: 1 case`]);
    assert.deepEqual(err, [
      `dicomtls validate: note: ${suite} is named more than once: validated once`,
      `dicomtls validate: note: ${dir}/./s.yaml is ${suite} again: validated once`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run and validate of a folder without a suite say so; a PKI spec named explicitly is said to be one, in one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-validate-" });
  try {
    await Deno.copyFile(small, join(dir, "pki.yaml"));
    const folder = await run(["run", dir]);
    assert.equal(folder.code, 2);
    assert.match(
      folder.err[0],
      /no suite in .*: no \*\.yaml file there has a top-level 'suite:' \(hint: .*pki\.yaml: a PKI spec/,
    );
    const file = await run(["validate", join(dir, "pki.yaml")]);
    assert.equal(file.code, 2);
    assert.equal(file.err.length, 1, file.err.join("\n"));
    assert.match(file.err[0], /pki\.yaml:\d+:1: this is a PKI spec .*dicomtls pki .*--pki DIR/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("init scaffolds a device: its suite validates with --vars and the PKI folder beside it, --set wins over --vars", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-init-" });
  const device = join(dir, "mydevice");
  try {
    const init = await run([
      "init",
      device,
      "--scp",
      "--host",
      "127.0.0.1",
      "--port",
      "2762",
      "--ae",
      "PACS",
    ]);
    assert.equal(init.code, 0, init.err.join("\n"));
    assert.equal(
      await Deno.readTextFile(join(device, "vars.yaml")).then((t) => /^port: 2762 /m.test(t)),
      true,
    );
    // A small PKI with the names the suite uses stands in for the device's (RSA keys are slow).
    const spec = (await Deno.readTextFile(join(device, "pki.yaml"))).replace(
      "key: rsa-2048",
      "key: ec-p256",
    );
    await Deno.writeTextFile(join(device, "pki.yaml"), spec);
    assert.equal(
      (await run(["pki", join(device, "pki.yaml"), "--out", join(device, "pki"), "-q"])).code,
      0,
    );
    const vars = join(device, "vars.yaml");
    const ok = await run(["validate", device, "--vars", vars]);
    assert.equal(ok.code, 0, ok.err.join("\n"));
    assert.ok(ok.out.includes(`${device}/device.yaml: ok: 14 cases`), ok.out.join("\n"));
    const port = await run(["validate", device, "--vars", vars, "--set", "port=99999"]);
    assert.equal(port.code, 2);
    assert.match(port.err[0], /port 99999 is out of range/);
    const again = await run(["init", device]);
    assert.equal(again.code, 2);
    assert.match(again.err[0], /exists: init writes no file over another/);
    const scu = await run(["init", join(dir, "other"), "--scu"]);
    assert.equal(scu.code, 2);
    assert.match(scu.err[0], /not supported yet/);
    // Suites do test SCUs (role: scu): the hint says where, not that they cannot.
    assert.match(scu.err[0], /role: scu.*docs\/inbound\.md/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AE titles and the host are checked after --set and --vars fill them in: too long, a control character, empty", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-validate-" });
  try {
    const suite = join(dir, "device.yaml");
    await Deno.writeTextFile(
      suite,
      `suite: device
peers:
  sut: { ae: "\${set.ae}", host: "\${set.host}", port: 104 }
  harness: { ae: "\${set.calling:-DICOMTLS}" }
cases:
  - name: echo
    expect: { echo: success }
`,
    );
    const vars = join(dir, "vars.yaml");
    await Deno.writeTextFile(vars, "ae: A-VERY-LONG-AE-TITLE-X\nhost: 10.0.0.7\n");
    const { code, err } = await run([
      "validate",
      suite,
      "--vars",
      vars,
      "--set",
      "host=",
      "--set",
      "calling=AB\x1bC",
    ]);
    assert.equal(code, 2);
    const hint = "check what its variables are given (--set, --vars, the environment))";
    assert.deepEqual(err.map((l) => l.replace(`${dir}/`, "").replace(/ \(hint: .*/, "")), [
      "device.yaml:3:14: AE title 'A-VERY-LONG-AE-TITLE-X' has 22 characters, more than 16 (from '${set.ae}')",
      "device.yaml:3:33: the host is empty (from '${set.host}')",
    ]);
    for (const line of err) assert.ok(line.endsWith(hint), line);
    const calling = await run([
      "validate",
      suite,
      "--set",
      "ae=PACS",
      "--set",
      "host=10.0.0.7",
      "--set",
      "calling=AB\x1bC",
    ]);
    assert.equal(calling.code, 2);
    assert.deepEqual(calling.err.map((l) => l.replace(`${dir}/`, "").replace(/ \(hint: .*/, "")), [
      "device.yaml:4:18: AE title 'AB\\u001BC' has a control character outside the default character repertoire (\\u001B) (from '${set.calling:-DICOMTLS}')",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("echo, probe, serve and init refuse AE titles the wire cannot carry and a host a certificate cannot name, one line, exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-init-" });
  try {
    const cases: [string[], RegExp][] = [
      [
        ["echo", "127.0.0.1:1", "--called", "A-VERY-LONG-AE-TITLE-X"],
        /--called: AE title .* has 22 characters, more than 16/,
      ],
      [
        ["echo", "127.0.0.1:1", "--called", "PACS", "--calling", "AB\x1bC"],
        /--calling: AE title 'AB\\u001BC' has a control character/,
      ],
      [["echo", "127.0.0.1:1", "--called", "A\\B"], /--called: AE title 'A\\B' has a backslash/],
      [["echo", "127.0.0.1:1", "--called", "    "], /--called: AE title ' {4}' is all spaces/],
      [
        ["init", join(dir, "a"), "--ae", "é"],
        /--ae: AE title '\\u00E9' has a character outside the default character repertoire/,
      ],
      [
        ["probe", "127.0.0.1:1", "--called", "A-VERY-LONG-AE-TITLE-X"],
        /--called: AE title .* has 22 characters, more than 16/,
      ],
      [["serve", "--ae", "A-VERY-LONG-AE-TITLE-X"], /--ae: AE title .* more than 16/],
      [["serve", "--accept-calling", "AB\x1bC"], /--accept-calling: AE title 'AB\\u001BC'/],
      [["init", join(dir, "b"), "--host", ""], /--host: the host is empty/],
      [
        ["init", join(dir, "c"), "--host", "a b"],
        /--host: host "a b" has spaces or control characters/,
      ],
      [
        ["init", join(dir, "d"), "--host", "pacs..example"],
        /--host: host "pacs..example" is neither an IP address nor a DNS name/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await run(args);
      assert.equal(code, 2, args.join(" "));
      assert.equal(err.length, 1, err.join("\n"));
      assert.match(err[0], message);
      assert.match(err[0], /\(hint: .+\)$/);
    }
    assert.equal(await Deno.stat(join(dir, "b")).then(() => true, () => false), false);
    const fine = await run([
      "init",
      join(dir, "e"),
      "--host",
      "pacs-1.example.org",
      "--ae",
      "PACS",
    ]);
    assert.equal(fine.code, 0, fine.err.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("validate takes a folder's suites that are symbolic links, and reports a dangling one instead of skipping it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-validate-" });
  const shared = await Deno.makeTempDir({ prefix: "dicomtls-shared-" });
  try {
    const suite = "suite: s\npeers:\n  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: 104 }\n" +
      "cases:\n  - name: echo\n    expect: { echo: success }\n";
    await Deno.writeTextFile(join(dir, "a.yaml"), suite);
    await Deno.writeTextFile(join(shared, "b.yaml"), suite.replace("suite: s", "suite: t"));
    await Deno.symlink(join(shared, "b.yaml"), join(dir, "b.yaml"));
    await Deno.symlink(join(shared, "gone.yaml"), join(dir, "c.yaml"));
    const { code, out, err } = await run(["validate", dir]);
    assert.equal(code, 2);
    assert.deepEqual(out, [`${dir}/a.yaml: ok: 1 case`, `${dir}/b.yaml: ok: 1 case`]);
    assert.equal(err.length, 1);
    assert.match(err[0], new RegExp(`^${dir}/c\\.yaml: no such file .*\\(hint: `));
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(shared, { recursive: true });
  }
});
