import type { PkiManifest } from "./manifest.ts";

/**
 * The text of `import-windows.ps1`: imports every certificate's .p12 into
 * `Cert:\<Scope>\My` (CurrentUser or LocalMachine), the trusted roots into
 * `Root` and the intermediate authorities into `CA`, so that a Windows-based
 * device under test can select them by subject or thumbprint.
 *
 * @example
 * ```ts
 * import { importWindowsScript } from "./windows.ts";
 * import { readManifest } from "./manifest.ts";
 * const manifest = await readManifest("out/pki");
 * await Deno.writeTextFile("out/pki/import-windows.ps1", importWindowsScript(manifest));
 * ```
 */
export function importWindowsScript(manifest: PkiManifest): string {
  const list = (names: string[]) => `@(${names.map(quote).join(", ")})`;
  const roots = manifest.entries.filter((e) => e.kind === "authority" && e.trusted);
  const intermediates = manifest.entries.filter((e) =>
    e.kind === "authority" && e.issuerName !== undefined && roots.some((r) => r.name === e.root)
  );
  const certificates = manifest.entries.filter((e) => e.kind === "certificate");
  return `# Imports the dicomtls test PKI into the Windows certificate stores.
# Usage: powershell -ExecutionPolicy Bypass -File import-windows.ps1 [-Scope CurrentUser|LocalMachine] [-Name server,client]
# LocalMachine needs an elevated (administrator) PowerShell.
param(
  [ValidateSet("CurrentUser", "LocalMachine")] [string] $Scope = "CurrentUser",
  [string[]] $Name = ${list(certificates.map((e) => e.name))}
)
$ErrorActionPreference = "Stop"
$password = ConvertTo-SecureString -String ${quote(manifest.password)} -AsPlainText -Force
foreach ($n in ${list(roots.map((e) => e.name))}) {
  Import-Certificate -FilePath (Join-Path $PSScriptRoot "$n.crt") -CertStoreLocation "Cert:\\$Scope\\Root" | Out-Null
  Write-Host "trusted root $n -> Cert:\\$Scope\\Root"
}
foreach ($n in ${list(intermediates.map((e) => e.name))}) {
  Import-Certificate -FilePath (Join-Path $PSScriptRoot "$n.crt") -CertStoreLocation "Cert:\\$Scope\\CA" | Out-Null
  Write-Host "intermediate $n -> Cert:\\$Scope\\CA"
}
foreach ($n in $Name) {
  $c = Import-PfxCertificate -FilePath (Join-Path $PSScriptRoot "$n.p12") -CertStoreLocation "Cert:\\$Scope\\My" -Password $password -Exportable
  Write-Host "$n -> Cert:\\$Scope\\My (thumbprint $($c.Thumbprint))"
}
`;
}

// A PowerShell single-quoted string: only ' needs escaping (as '').
function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
