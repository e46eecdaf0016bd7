import { x509 } from "./_x509.ts";
import { toPem } from "./der.ts";
import type { KeyPairDer } from "./keys.ts";
import { signingKey } from "./keys.ts";
import type { PkiManifest } from "./manifest.ts";
import { toPkcs12 } from "./pkcs12.ts";
import type { PkiEntrySpec } from "./spec.ts";
import { importWindowsScript } from "./windows.ts";
import type { PkiFile } from "./_install.ts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** One entry as the generator holds it: its certificate, keys and (when reused) .p12. */
export interface Built {
  spec: PkiEntrySpec;
  der: Uint8Array<ArrayBuffer>;
  cert: x509.X509Certificate;
  /** The certificate's own key (signs what it issues). */
  key: KeyPairDer;
  /** What NAME.key holds: a different key for keyMismatch. */
  keyFile: Uint8Array<ArrayBuffer>;
  /** The previous run's .p12 when reused. */
  p12?: Uint8Array<ArrayBuffer>;
  inputHash: string;
  generated: boolean;
}

// Intermediates from the issuer up to, not including, the root.
export function intermediates(b: Built, built: Map<string, Built>): Built[] {
  const chain: Built[] = [];
  for (let at = b.spec.issuer; at !== "self"; at = built.get(at)!.spec.issuer) {
    if (built.get(at)!.spec.issuer !== "self") chain.push(built.get(at)!);
  }
  return chain;
}

export async function crlsFresh(dir: string, manifest: PkiManifest, now: Date): Promise<boolean> {
  for (const e of manifest.entries) {
    if (!e.files.crl) continue;
    try {
      const crl = new x509.X509Crl(await Deno.readFile(`${dir}/${e.files.crl}`));
      if (
        !crl.nextUpdate || crl.nextUpdate.getTime() < now.getTime() + DAY || crl.thisUpdate > now
      ) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function crl(
  b: Built,
  built: Map<string, Built>,
  now: Date,
): Promise<Uint8Array<ArrayBuffer>> {
  const revoked = [...built.values()].filter((c) =>
    c.spec.issuer === b.spec.name && c.spec.revoked
  );
  const signer = await signingKey(b.key.pkcs8, b.spec.key, b.spec.hash);
  const list = await x509.X509CrlGenerator.create({
    issuer: b.cert.subjectName,
    thisUpdate: new Date(now.getTime() - HOUR),
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    entries: revoked.map((c) => ({
      serialNumber: c.cert.serialNumber,
      revocationDate: new Date(now.getTime() - HOUR),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(b.key.spki)],
  });
  return new Uint8Array(list.rawData);
}

// Every file of the PKI, in memory: keys and .p12 files marked secret.
export async function pkiFiles(
  options: { manifest: PkiManifest; built: Map<string, Built>; now: Date; password: string },
): Promise<PkiFile[]> {
  const { manifest, built, now, password } = options;
  const files: PkiFile[] = [];
  for (const b of built.values()) {
    const name = b.spec.name;
    const chain = intermediates(b, built);
    files.push(
      { name: `${name}.crt`, data: toPem("CERTIFICATE", b.der) },
      { name: `${name}.der`, data: b.der },
      { name: `${name}.key`, data: toPem("PRIVATE KEY", b.keyFile), secret: true },
    );
    if (b.spec.issuer !== "self") {
      const pem = [b, ...chain].map((c) => toPem("CERTIFICATE", c.der)).join("");
      files.push({ name: `${name}.chain.pem`, data: pem });
    }
    const p12 = b.p12 ?? toPkcs12({
      certificate: b.der,
      chain: chain.map((c) => c.der),
      pkcs8: b.keyFile,
      password,
      friendlyName: name,
    });
    files.push({ name: `${name}.p12`, data: p12, secret: true });
    if (b.spec.kind === "authority") {
      files.push({ name: `${name}.crl`, data: await crl(b, built, now) });
    }
  }
  files.push(
    { name: "manifest.json", data: JSON.stringify(manifest, null, 2) + "\n" },
    { name: "import-windows.ps1", data: importWindowsScript(manifest) },
  );
  return files;
}
