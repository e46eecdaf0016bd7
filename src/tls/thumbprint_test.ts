import assert from "node:assert/strict";
import { InputError } from "../yaml/mod.ts";
import { parseThumbprints, thumbprintAccepted } from "./thumbprint.ts";
import { thumbprintOf } from "./certificate_info.ts";
import { makeCert } from "../testing/certificates.ts";

const SHA1 = "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678";

Deno.test("parseThumbprints() ignores case and space, colon and dash separators", () => {
  const spaced = SHA1.toLowerCase().match(/../g)!.join(" ");
  const colons = SHA1.match(/../g)!.join(":");
  const dashes = SHA1.match(/../g)!.join("-");
  assert.deepEqual(parseThumbprints([spaced, colons, dashes]), [SHA1, SHA1, SHA1]);
});

Deno.test("parseThumbprints() splits one semicolon-separated string as the SDK takes it", () => {
  const sha256 = "AB".repeat(32);
  assert.deepEqual(parseThumbprints(`${SHA1};${sha256.toLowerCase()};`), [SHA1, sha256]);
  assert.deepEqual(parseThumbprints(`\u200e${SHA1}`), [SHA1]);
});

Deno.test("parseThumbprints() refuses non-hex, wrong lengths and an empty list", () => {
  assert.throws(() => parseThumbprints("XYZ" + SHA1.slice(3)), InputError);
  assert.throws(() => parseThumbprints(SHA1.slice(2)), /40 or 64 hex digits, got 38/);
  assert.throws(() => parseThumbprints(" ; "), /no thumbprint given/);
});

Deno.test("thumbprintAccepted() matches SHA-1 or SHA-256 of the certificate", async () => {
  const { der } = await makeCert({ name: "peer" });
  assert.equal(thumbprintAccepted(der, [thumbprintOf(der, "sha1")]), true);
  assert.equal(thumbprintAccepted(der, [thumbprintOf(der, "sha256")]), true);
  assert.equal(thumbprintAccepted(der, [SHA1]), false);
});
