import { generatePki } from "../pki/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";

/**
 * `dicomtls pki SPEC.yaml --out DIR [--force]`: generates the test PKI a spec
 * describes and prints each certificate's expected verdict and SHA-1
 * thumbprint.
 *
 * @example
 * ```ts
 * import { pkiCommand } from "./pki.ts";
 * await pkiCommand.run(["fixtures/pki/standard.yaml", "--out", "out/pki"]);
 * ```
 */
export const pkiCommand: Command = {
  usage: `usage: dicomtls pki SPEC.yaml --out DIR [--force]

Generates every certificate SPEC.yaml describes into DIR: NAME.crt, NAME.der,
NAME.key (PKCS#8, 0600), NAME.p12, NAME.chain.pem, NAME.crl (authorities),
manifest.json (thumbprints, expected verdicts) and import-windows.ps1.
A second run reuses unchanged certificates.

  --out DIR   output folder (replaced atomically)
  --force     regenerate everything; replace DIR even if it is not a PKI`,
  async run(args) {
    const { values, positionals } = parseFlags("pki", args, {
      out: { type: "string" },
      force: { type: "boolean" },
    });
    if (positionals.length !== 1 || !values.out) {
      throw new InputError({
        message: "expected one SPEC.yaml and --out DIR",
        hint: "e.g. dicomtls pki fixtures/pki/standard.yaml --out out/pki",
      });
    }
    const started = performance.now();
    const pki = await generatePki({ spec: positionals[0], out: values.out, force: values.force });
    const width = Math.max(...pki.manifest.entries.map((e) => e.name.length));
    for (const e of pki.manifest.entries) {
      const verdict = e.expected + (e.expectedFor ? ` (${e.expectedFor})` : "");
      console.log(`${e.name.padEnd(width)}  ${verdict.padEnd(24)}  ${e.sha1}`);
    }
    console.log(
      `${pki.manifest.entries.length} certificates in ${pki.dir} (${pki.generated.length} generated, ${pki.reused.length} reused, ${
        Math.round(performance.now() - started)
      } ms); .p12 password: ${pki.manifest.password}`,
    );
    return EXIT.ok;
  },
};
