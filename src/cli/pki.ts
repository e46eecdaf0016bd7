import { InputError } from "../yaml/input_error.ts";
import { type Command, EXIT, folderPathFlag, parseFlags } from "./command.ts";

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
  usage: `usage: dicomtls pki SPEC.yaml --out DIR [--force] [--quiet]

Generates every certificate SPEC.yaml describes into DIR: NAME.crt, NAME.der,
NAME.key (PKCS#8, 0600), NAME.p12 (0600), NAME.chain.pem, NAME.crl
(authorities), manifest.json (thumbprints, expected verdicts; no password)
and import-windows.ps1. A new DIR is created 0700. A second run reuses
unchanged certificates and replaces only the files it wrote: your own files
in DIR are kept.

  --out DIR     output folder
  --force       regenerate everything; write into DIR even if it is not a PKI
  -q, --quiet   only the certificates, not how to give them to a device

Then it prints where the files a device needs are and how to point a device
at them: Orthanc's DicomTls* settings, DCMTK storescp/echoscu flags, dcm4che
options, and the Windows import script (import-windows.ps1) for devices whose
SDK picks its certificate from a Windows certificate store.`,
  async run(args) {
    const { values, positionals } = parseFlags("pki", args, {
      out: { type: "string" },
      force: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
    });
    folderPathFlag("--out", values.out, "dicomtls pki fixtures/pki/standard.yaml --out out/pki");
    if (positionals.length !== 1 || !values.out) {
      throw new InputError({
        message: "expected one SPEC.yaml and --out DIR",
        hint: "e.g. dicomtls pki fixtures/pki/standard.yaml --out out/pki",
      });
    }
    const started = performance.now();
    // Loaded once the command line is good: a refused one costs no X.509 or YAML module.
    const { deviceSettings, generatePki } = await import("../pki/mod.ts");
    const pki = await generatePki({ spec: positionals[0], out: values.out, force: values.force });
    const width = Math.max(...pki.manifest.entries.map((e) => e.name.length));
    for (const e of pki.manifest.entries) {
      const verdict = e.expected + (e.expectedFor ? ` (${e.expectedFor})` : "");
      console.log(`${e.name.padEnd(width)}  ${verdict.padEnd(24)}  ${e.sha1}`);
    }
    const defaultPassword = pki.manifest.passwordFrom === "default" ? pki.password : undefined;
    console.log(
      `${pki.manifest.entries.length} certificates written to ${pki.dir} (${pki.generated.length} generated, ${pki.reused.length} reused, ${
        Math.round(performance.now() - started)
      } ms); .p12 password: ${
        defaultPassword ? `${defaultPassword} (the default)` : "the 'password' of the spec"
      }`,
    );
    if (!values.quiet) {
      console.log(`\n${deviceSettings({ dir: pki.dir, manifest: pki.manifest, defaultPassword })}`);
    }
    return EXIT.ok;
  },
};
