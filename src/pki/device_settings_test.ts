import assert from "node:assert/strict";
import { deviceEntries, deviceSettings } from "./device_settings.ts";
import { generatePki } from "./generate.ts";

const SPEC = `authorities:
  - name: root
  - { name: intermediate, issuer: root }
certificates:
  - { name: server, issuer: intermediate, usage: server, san: [localhost] }
  - { name: client, issuer: root, usage: client }
  - { name: client-expired, like: client, validity: expired }
`;

Deno.test("deviceSettings() names the files a device needs with Orthanc's, DCMTK's and dcm4che's settings, every path existing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-device-settings-" });
  try {
    await Deno.writeTextFile(`${dir}/spec.yaml`, SPEC);
    const pki = await generatePki({ spec: `${dir}/spec.yaml`, out: `${dir}/pki` });
    const text = deviceSettings({
      dir: pki.dir,
      manifest: pki.manifest,
      defaultPassword: "dicomtls",
    });
    for (
      const key of [
        '"DicomTlsEnabled": true',
        `"DicomTlsCertificate": "${pki.dir}/server.chain.pem"`,
        `"DicomTlsPrivateKey": "${pki.dir}/server.key"`,
        `"DicomTlsTrustedCertificates": "${pki.dir}/root.crt"`,
        '"DicomTlsRemoteCertificateRequired": true',
        `storescp +tls ${pki.dir}/server.key ${pki.dir}/server.chain.pem +cf ${pki.dir}/root.crt`,
        `--key-store ${pki.dir}/server.p12 --key-store-type PKCS12 --key-store-pass dicomtls`,
        "--tls-cipher TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        `-File ${pki.dir}/import-windows.ps1 -Scope LocalMachine -Name server`,
      ]
    ) assert.ok(text.includes(key), `${key}\nnot in\n${text}`);
    // Every file named (but the trust store keytool makes) is there.
    for (const [path] of text.matchAll(/\/\S+\.(?:crt|pem|key|p12|ps1)\b/g)) {
      if (!path.endsWith("truststore.p12")) await Deno.stat(path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deviceSettings() never prints a password of the spec's own, and picks certificates by usage when the names differ", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-device-settings-" });
  try {
    const spec = `password: hunter2-secret
defaults: { key: rsa-2048 }
authorities: [{ name: ca }]
certificates:
  - { name: pacs, issuer: ca, usage: server }
  - { name: modality, issuer: ca, usage: client }
`;
    await Deno.writeTextFile(`${dir}/spec.yaml`, spec);
    const pki = await generatePki({ spec: `${dir}/spec.yaml`, out: `${dir}/pki` });
    const picked = deviceEntries(pki.manifest)!;
    assert.deepEqual([picked.server.name, picked.root.name, picked.client?.name], [
      "pacs",
      "ca",
      "modality",
    ]);
    const text = deviceSettings({ dir: pki.dir, manifest: pki.manifest });
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /the password of .*spec\.yaml/);
    assert.match(text, /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
