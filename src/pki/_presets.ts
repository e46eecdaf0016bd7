import type { YamlPath, YamlSource } from "../yaml/mod.ts";

interface PresetEntry {
  raw: { name: string; [key: string]: unknown };
  kind: "authority" | "certificate";
  at: YamlPath;
}

/**
 * The IHE Gazelle TLS error cases: one valid client/server certificate from
 * the spec's first trusted root, and the corrupted, expired, revoked,
 * self-signed, unknown-CA and wrong-key variants of it. "Without
 * authentication" needs no file: the scenario presents no certificate.
 */
export function gazellePreset(
  list: PresetEntry[],
  source: YamlSource,
  at: YamlPath,
): PresetEntry[] {
  const root = list.find((e) => e.kind === "authority" && !e.raw.issuer && e.raw.trusted !== false);
  if (!root) {
    throw source.error(
      at,
      "the gazelle preset needs a root authority to issue from",
      "add 'authorities: [{ name: root }]'",
    );
  }
  const cert = (raw: PresetEntry["raw"]): PresetEntry => ({ raw, kind: "certificate", at });
  return [
    {
      raw: { name: "gazelle-rogue", trusted: false, subject: { CN: "Gazelle unknown CA" } },
      kind: "authority",
      at,
    },
    cert({
      name: "gazelle-valid",
      issuer: root.raw.name,
      subject: { CN: "localhost", O: "IHE Gazelle test" },
      san: ["localhost", "127.0.0.1"],
      usage: "both",
    }),
    cert({ name: "gazelle-corrupted", like: "gazelle-valid", corrupt: "signature" }),
    cert({ name: "gazelle-expired", like: "gazelle-valid", validity: "expired" }),
    cert({ name: "gazelle-revoked", like: "gazelle-valid", revoked: true }),
    cert({ name: "gazelle-self-signed", like: "gazelle-valid", issuer: "self" }),
    cert({ name: "gazelle-unknown-ca", like: "gazelle-valid", issuer: "gazelle-rogue" }),
    cert({ name: "gazelle-wrong-key", like: "gazelle-valid", keyMismatch: true }),
  ];
}
