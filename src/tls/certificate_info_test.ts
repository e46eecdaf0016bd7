import assert from "node:assert/strict";
import { makeCert } from "../testing/certificates.ts";
import { certificateInfo } from "./certificate_info.ts";

Deno.test("certificateInfo() describes names node:crypto refuses: a TeletexString with 8-bit bytes, a PrintableString or IA5String outside its repertoire", async () => {
  const cases = {
    // T.61 is an 8-bit set: "M\xFCller" is a legal legacy name, refused as "invalid attributes".
    "CN=#14084dfc6c6c65721b5b": "CN=M\xfcller\x1b[",
    "CN=#1303a9ff41": "CN=\xa9\xffA",
    "O=#1602e91b": "O=\xe9\x1b",
  };
  for (const [subject, shown] of Object.entries(cases)) {
    const info = certificateInfo((await makeCert({ name: "x", subject })).der);
    assert.equal(info.subject, shown, subject);
    assert.equal(info.issuer, shown, subject);
  }
});

Deno.test("certificateInfo() writes every line break and tab of a name it reads from the DER as an RFC 4514 escape, not the first alone", async () => {
  // 0xFC makes node:crypto refuse the TeletexString: the name is read from the DER.
  const info = certificateInfo(
    (await makeCert({ name: "x", subject: "CN=#1407fc0a620a63090d" })).der,
  );
  assert.equal(info.subject, "CN=\xfc\\0Ab\\0Ac\\09\\0D");
});
