import { join } from "node:path";
import { powerShellQuote, shellQuote } from "../process/mod.ts";
import type { PkiEntry, PkiManifest } from "./manifest.ts";

/** Options of {@linkcode deviceSettings}. */
export interface DeviceSettingsOptions {
  /** The PKI folder (absolute, so that every path printed can be pasted as is). */
  dir: string;
  /** Its `manifest.json`. */
  manifest: PkiManifest;
  /** The .p12 password when it is the documented default; else it is not printed. */
  defaultPassword?: string;
  /** The device's AE title in the examples; default DEVICE. */
  ae?: string;
  /** The device's port in the examples; default 11112. */
  port?: number;
}

/** The entries a device needs: its own certificate, the CA of our clients, our client. */
export interface DeviceEntries {
  /** The device's certificate (`server`, else the first valid server certificate). */
  server: PkiEntry;
  /** The self-signed authority our client certificate chains to: what the device trusts. */
  root: PkiEntry;
  /** Our good client certificate (`client`, else the first valid client certificate). */
  client?: PkiEntry;
}

/**
 * The certificates of a PKI that a device under test is configured with, or
 * undefined when the PKI has no server certificate.
 *
 * @example
 * ```ts
 * import { deviceEntries, readManifest } from "./mod.ts";
 * const picked = deviceEntries(await readManifest("mypki"));
 * picked?.server.name; // "server"
 * ```
 */
export function deviceEntries(manifest: PkiManifest): DeviceEntries | undefined {
  const certificates = manifest.entries.filter((e) => e.kind === "certificate");
  const pick = (name: string, usage: string) =>
    certificates.find((e) => e.name === name) ??
      certificates.find((e) => (e.usage === usage || e.usage === "both") && e.expected === "valid");
  const server = pick("server", "server");
  if (!server) return undefined;
  const client = pick("client", "client");
  const rootName = client?.root ?? server.root;
  const root = manifest.entries.find((e) => e.name === rootName) ??
    manifest.entries.find((e) => e.kind === "authority" && e.trusted);
  return root ? { server, root, ...(client ? { client } : {}) } : undefined;
}

/**
 * What `dicomtls pki` prints after the certificates: where each file a device
 * needs is, and ready-to-paste settings for Orthanc (its `DicomTls*`
 * configuration keys), DCMTK's storescp and echoscu/storescu, dcm4che's tools
 * (with a trust store made by the JDK's keytool) and the Windows import
 * script, for devices whose SDK picks its certificate from a Windows store.
 *
 * @example
 * ```ts
 * import { deviceSettings, readManifest } from "./mod.ts";
 * const dir = "/abs/mypki";
 * console.log(deviceSettings({ dir, manifest: await readManifest(dir), defaultPassword: "dicomtls" }));
 * ```
 */
export function deviceSettings(options: DeviceSettingsOptions): string {
  const picked = deviceEntries(options.manifest);
  if (!picked) return "(no server certificate in this PKI: nothing to give a device)";
  const { server, root, client } = picked;
  const ae = options.ae ?? "DEVICE";
  const port = options.port ?? 11112;
  const f = (name: string | undefined) => join(options.dir, name ?? "");
  // The lines below are pasted into a shell: a path with a space or a quote must survive it.
  const q = shellQuote;
  const serverCert = f(server.files.chain ?? server.files.crt);
  const password = options.defaultPassword ?? "PASSWORD";
  const passwordNote = options.defaultPassword === undefined
    ? `the password of ${options.manifest.spec}`
    : `password ${options.defaultPassword}`;
  // What our side trusts for the device's certificate (the same root unless the spec says otherwise).
  const serverRoot = options.manifest.entries.find((e) => e.name === server.root) ?? root;
  const suite = server.keyType.startsWith("ec") ? "ECDSA" : "RSA";
  const lines = [
    `The device under test (as SCP) needs these files (details: docs/pki.md):`,
    `  trust (the CA of our clients)  ${f(root.files.crt)}  (PEM; ${root.files.der} is DER)`,
    `  its certificate and chain      ${serverCert}`,
    `  its private key                ${f(server.files.key)}  (PKCS#8 PEM)`,
    `  or both as PKCS#12             ${f(server.files.p12)}  (${passwordNote})`,
    `  (its certificate: ${server.subject}, SHA-1 ${server.sha1})`,
    ``,
    `Orthanc (its configuration file):`,
    `  "DicomTlsEnabled": true,`,
    `  "DicomTlsCertificate": ${JSON.stringify(serverCert)},`,
    `  "DicomTlsPrivateKey": ${JSON.stringify(f(server.files.key))},`,
    `  "DicomTlsTrustedCertificates": ${JSON.stringify(f(root.files.crt))},`,
    `  "DicomTlsRemoteCertificateRequired": true,`,
    ``,
    `DCMTK storescp as the device:`,
    `  storescp +tls ${q(f(server.files.key))} ${q(serverCert)} +cf ${q(f(root.files.crt))} -aet ${
      q(ae)
    } ${port}`,
    ...(client
      ? [
        `DCMTK echoscu/storescu as a client the device must accept:`,
        `  echoscu +tls ${q(f(client.files.key))} ${
          q(f(client.files.chain ?? client.files.crt))
        } +cf ${q(f(serverRoot.files.crt))} -aec ${q(ae)} HOST ${port}`,
      ]
      : []),
    ``,
    `dcm4che 5 storescp as the device (a trust store made once with the JDK's keytool):`,
    `  keytool -importcert -noprompt -alias dicomtls-root -file ${q(f(root.files.crt))} -keystore ${
      q(f("truststore.p12"))
    } -storetype PKCS12 -storepass changeit`,
    `  storescp -b ${
      q(`${ae}:${port}`)
    } --tls12 --tls-cipher TLS_ECDHE_${suite}_WITH_AES_128_GCM_SHA256` +
    ` --key-store ${q(f(server.files.p12))} --key-store-type PKCS12 --key-store-pass ${
      q(password)
    }` +
    ` --key-pass ${q(password)} --trust-store ${
      q(f("truststore.p12"))
    } --trust-store-type PKCS12 --trust-store-pass changeit`,
    ``,
    `A device whose SDK picks its certificate from the Windows certificate store (as`,
    `administrator; then select it by subject or by thumbprint ${server.sha1}):`,
    `  powershell -ExecutionPolicy Bypass -File ${
      powerShellQuote(f("import-windows.ps1"))
    } -Scope LocalMachine -Name ${powerShellQuote(server.name)}`,
    ``,
    `Then test it: dicomtls run SUITE --pki ${
      q(options.dir)
    } --set host=HOST --set port=${port} --set ${q(`ae=${ae}`)}`,
    `(the ready suite: scenarios/device/; a suite of your own: dicomtls init DIR)`,
  ];
  return lines.join("\n");
}
