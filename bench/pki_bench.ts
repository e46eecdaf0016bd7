/**
 * PKI generation speed: a 50-certificate EC P-256 PKI and a 50-certificate
 * RSA-2048 PKI (root, intermediate, 48 leaves) made by `generatePki` and, in
 * the same run, by an `openssl` CLI loop (genpkey + req + x509 per
 * certificate, as test scripts do). Targets: EC <= 0.3x openssl, RSA <= 1.0x,
 * a cached second run < 0.1x. Prints PASS/MISS per target; a MISS does not
 * fail the run (timings depend on the machine's load).
 */
import { generatePki } from "../src/pki/mod.ts";

const LEAVES = 48;

function spec(key: string): string {
  const leaves = Array.from(
    { length: LEAVES },
    (_, i) =>
      `  - { name: leaf-${i}, issuer: intermediate, usage: ${i % 2 ? "client" : "server"} }`,
  );
  return [
    `defaults: { key: ${key}, days: 365, hash: sha256 }`,
    "authorities:",
    "  - { name: root }",
    "  - { name: intermediate, issuer: root }",
    "certificates:",
    ...leaves,
    "",
  ].join("\n");
}

async function run(args: string[], cwd: string) {
  const { code, stderr } = await new Deno.Command("openssl", {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`openssl ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
}

/** The same 50 certificates with one openssl process per step, as a shell script makes them. */
async function opensslLoop(key: string, dir: string) {
  const keyArgs = key === "ec-p256"
    ? ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
    : ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
  const ext = (name: string, ca: boolean) => {
    Deno.writeTextFileSync(
      `${dir}/${name}.ext`,
      ca
        ? "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n"
        : "basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    );
    return `${name}.ext`;
  };
  await run(["genpkey", ...keyArgs, "-out", "root.key"], dir);
  await run([
    "req",
    "-x509",
    "-new",
    "-key",
    "root.key",
    "-subj",
    "/CN=root",
    "-days",
    "365",
    "-out",
    "root.crt",
  ], dir);
  const issue = async (name: string, issuer: string, ca: boolean) => {
    await run(["genpkey", ...keyArgs, "-out", `${name}.key`], dir);
    await run(
      ["req", "-new", "-key", `${name}.key`, "-subj", `/CN=${name}`, "-out", `${name}.csr`],
      dir,
    );
    await run([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${issuer}.crt`,
      "-CAkey",
      `${issuer}.key`,
      "-CAcreateserial",
      "-days",
      "365",
      "-extfile",
      ext(name, ca),
      "-out",
      `${name}.crt`,
    ], dir);
  };
  await issue("intermediate", "root", true);
  for (let i = 0; i < LEAVES; i++) await issue(`leaf-${i}`, "intermediate", false);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const verdict = (ratio: number, target: number) =>
  `${ratio.toFixed(3)}x (target <= ${target}x) ${ratio <= target ? "PASS" : "MISS"}`;

const tmp = await Deno.makeTempDir({ prefix: "dicomtls-pki-bench-" });
try {
  for (const [key, target] of [["ec-p256", 0.3], ["rsa-2048", 1.0]] as const) {
    const dir = `${tmp}/${key}`;
    await Deno.mkdir(`${dir}/openssl`, { recursive: true });
    await Deno.writeTextFile(`${dir}/spec.yaml`, spec(key));
    const openssl = await time(() => opensslLoop(key, `${dir}/openssl`));
    const first = await time(() => generatePki({ spec: `${dir}/spec.yaml`, out: `${dir}/out` }));
    let reused = 0;
    const cached = await time(async () => {
      reused = (await generatePki({ spec: `${dir}/spec.yaml`, out: `${dir}/out` })).reused.length;
    });
    console.log(`${key}, 50 certificates:`);
    console.log(`  openssl CLI loop   ${openssl.toFixed(0).padStart(6)} ms`);
    console.log(
      `  generatePki        ${first.toFixed(0).padStart(6)} ms  ${
        verdict(first / openssl, target)
      }`,
    );
    console.log(
      `  cached second run  ${cached.toFixed(0).padStart(6)} ms  ${
        verdict(cached / openssl, 0.1)
      } (${reused} reused)`,
    );
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}
