import assert from "node:assert/strict";
import { describeTrigger, DICOMTLS_PROGRAM, expandTrigger, manualInstructions } from "./trigger.ts";

const harness = { host: "127.0.0.1", port: 40123, ae: "HARNESS" };

Deno.test("expandTrigger() fills in ${harness.*}, makes $${ a literal ${ and ${dicomtls} the program", () => {
  const t = expandTrigger({
    kind: "command",
    command: [
      "${dicomtls}",
      "store",
      "-c",
      "${harness.ae}",
      "${harness.host}:${harness.port}",
      "$${x}",
    ],
    env: { PORT: "${harness.port}" },
  }, harness);
  assert.deepEqual(t, {
    kind: "command",
    command: [...DICOMTLS_PROGRAM, "store", "-c", "HARNESS", "127.0.0.1:40123", "${x}"],
    env: { PORT: "40123" },
  });
});

Deno.test("expandTrigger() fills in an HTTP request's URL, body and headers", () => {
  const t = expandTrigger({
    kind: "http",
    method: "PUT",
    url: "http://127.0.0.1:8042/modalities/${harness.ae}",
    body: '{"Port":${harness.port}}',
    headers: { "X-Port": "${harness.port}" },
  }, harness);
  assert.deepEqual(t, {
    kind: "http",
    method: "PUT",
    url: "http://127.0.0.1:8042/modalities/HARNESS",
    body: '{"Port":40123}',
    headers: { "X-Port": "40123" },
  });
});

Deno.test("describeTrigger() shows the command line (dicomtls shortened), the HTTP request without headers, or manual", () => {
  assert.equal(
    describeTrigger({ kind: "command", command: [...DICOMTLS_PROGRAM, "echo", "a b", "it's"] }),
    `dicomtls echo 'a b' 'it'\\''s'`,
  );
  assert.equal(
    describeTrigger({
      kind: "http",
      method: "post",
      url: "http://h/x",
      headers: { Authorization: "secret" },
    }),
    "POST http://h/x",
  );
  assert.equal(describeTrigger({ kind: "manual" }), "manual");
});

Deno.test("manualInstructions() tells the operator the AE title, address and time, then the scenario's words", () => {
  assert.equal(
    manualInstructions({ kind: "manual", instructions: "use the Send button" }, harness, 60_000),
    "on the device under test, send a DICOM Verification (C-ECHO) over TLS to AE HARNESS at 127.0.0.1:40123 within 60 s; use the Send button",
  );
});
