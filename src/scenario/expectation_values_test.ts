// The expectation values loadSuite checks before a run: a DIMSE status, a
// negotiated or offered cipher suite that can never match is an error at
// its line (with `fails: true` it would hide a conforming SUT as XFAIL for
// ever); every form that can match loads.
import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../yaml/mod.ts";
import { loadSuite } from "./mod.ts";

const work = await Deno.makeTempDir({ prefix: "dicomtls-expect-values-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

async function load(expects: string[]) {
  const file = join(work, "suite.yaml");
  await Deno.writeTextFile(
    file,
    `suite: values
peers:
  sut: { ae: X, host: 127.0.0.1, port: 11112 }
cases:
${expects.map((e, i) => `  - { name: c${i}, expect: ${e} }`).join("\n")}
`,
  );
  return await loadSuite({ file, env: {} });
}

async function problems(expects: string[]): Promise<string[]> {
  const e = await load(expects).then(() => undefined, (e) => e);
  assert.ok(e instanceof InputError, String(e));
  return e.message.split("\n").map((l) => l.replace(/^.*suite\.yaml:(\d+):\d+: /, "$1: "));
}

Deno.test("loadSuite() refuses DIMSE statuses and cipher suites that can never match", async () => {
  assert.deepEqual(
    await problems([
      "{ echo: success, dimse: { status: succes }, fails: true }",
      '{ dimse: { status: "Sucess" } }',
      "{ dimse: { status: 0x1FFFF } }",
      "{ dimse: { status: -1 } }",
      '{ dimse: { status: "0xZZ00" } }',
      '{ dimse: { status: [success, "42752"] } }',
      "{ echo: success, tls: { cipher: TLS_BOGUS_SHA } }",
      "{ echo: success, tls: { cipher: TLS_AES_256_GCM_SHA348 }, fails: true }",
      "{ echo: success, clientHello: { offers: TLS_NOPE } }",
    ]),
    [
      "5: unknown DIMSE status 'succes' (hint: did you mean 'success'?)",
      "6: unknown DIMSE status 'Sucess' (hint: did you mean 'success'?)",
      "7: DIMSE status 131071 (0x1FFFF) is not a status code (hint: a status code is 16 bits: 0x0000 to 0xFFFF, e.g. 0xA700)",
      "8: DIMSE status -1 is not a status code (hint: a status code is 16 bits: 0x0000 to 0xFFFF, e.g. 0xA700)",
      "9: DIMSE status '0xZZ00' is not a hex status code (hint: write 0x and up to four hex digits, e.g. 0xA700)",
      "10: DIMSE status '42752' is a number in quotes, which matches no status (hint: write it without quotes (42752) or in hex (0xA700))",
      "11: unknown cipher suite 'TLS_BOGUS_SHA' (hint: give an IANA name, e.g. TLS_AES_128_GCM_SHA256)",
      "12: unknown cipher suite 'TLS_AES_256_GCM_SHA348' (hint: did you mean 'TLS_AES_256_GCM_SHA384'?)",
      "13: unknown cipher suite 'TLS_NOPE' (hint: give an IANA or OpenSSL name, e.g. TLS_AES_128_GCM_SHA256)",
    ],
  );
});

Deno.test("loadSuite() takes every DIMSE status and cipher suite form that can match", async () => {
  const suite = await load([
    "{ dimse: { status: [0, 0x0000, 0xA700, 0xFFFF, 65535] } }",
    '{ dimse: { status: ["0xA700", "0xa700", "0x0"] } }',
    "{ dimse: { status: [success, WARNING, failure, timeout, aborted] } }",
    '{ dimse: { status: ["Refused: Out of Resources", "error: cannot understand", "Failure 0x0123"] } }',
    "{ echo: success, tls: { cipher: [TLS_AES_256_GCM_SHA384, tls_aes_128_gcm_sha256] } }",
    "{ echo: success, clientHello: { offers: [TLS_AES_128_GCM_SHA256, ECDHE-RSA-AES128-GCM-SHA256] } }",
  ]);
  assert.equal(suite.cases.length, 6);
});
