import assert from "node:assert/strict";
import type { Outcome } from "../outcome/mod.ts";
import { fullRun } from "../testing/full_run.ts";
import { evaluateExpectations } from "./expect.ts";

const at = { file: "s.yaml", line: 1, column: 1 };
// The exemplar's inbound Outcome (a client certificate, one C-STORE request) with a real hello.
const exemplar = fullRun().suites[0].cases[0].outcome as Outcome;
const inbound: Outcome = {
  ...exemplar,
  clientHello: {
    ...exemplar.clientHello!,
    offeredVersions: ["TLSv1.3", "TLSv1.2"],
    cipherSuites: [
      { code: 0x0a0a, name: "GREASE", grease: true },
      { code: 0x1301, name: "TLS_AES_128_GCM_SHA256" },
      { code: 0xc02f, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
    ],
    serverName: undefined,
  },
};

function check(path: string, expected: unknown, o: Outcome = inbound) {
  const [r] = evaluateExpectations({ checks: [{ path, expected, location: at }], fails: false }, o);
  return { ok: r.ok, actual: r.actual };
}

Deno.test("clientHello.versions is the exact set offered, or bounds every offered version keeps to", () => {
  assert.deepEqual(check("clientHello.versions", ["TLSv1.2", "TLSv1.3"]), {
    ok: true,
    actual: "TLSv1.3, TLSv1.2",
  });
  assert.equal(check("clientHello.versions", "TLSv1.3").ok, false);
  assert.equal(check("clientHello.versions", { min: "TLSv1.2" }).ok, true);
  assert.equal(check("clientHello.versions", { min: "TLSv1.3" }).ok, false);
  assert.equal(check("clientHello.versions", { max: "TLSv1.2" }).ok, false);
});

Deno.test("clientHello.offers takes IANA or OpenSSL names, any of a list; sni none means no SNI", () => {
  assert.deepEqual(check("clientHello.offers", ["NULL-MD5", "ECDHE-RSA-AES128-GCM-SHA256"]), {
    ok: true,
    actual: "TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  });
  assert.equal(check("clientHello.offers", "GREASE").ok, false);
  assert.equal(check("clientHello.sni", "none").ok, true);
  const named = {
    ...inbound,
    clientHello: { ...inbound.clientHello!, serverName: "PACS.example" },
  };
  assert.equal(check("clientHello.sni", "pacs.example", named).ok, true);
  assert.equal(check("clientHello.sni", "none", named).ok, false);
});

Deno.test("clientCertificate, dimse.requested and association: requested hold on what the SUT did", () => {
  assert.deepEqual(check("clientCertificate", "presented"), { ok: true, actual: "presented" });
  assert.equal(check("clientCertificate", "none").ok, false);
  assert.deepEqual(check("dimse.requested", "c-store-rq"), { ok: true, actual: ["C-STORE"] });
  assert.equal(check("dimse.requested", "C-ECHO").ok, false);
  assert.deepEqual(check("association", "requested"), { ok: true, actual: "aborted" });
  const never = { ...inbound, association: { result: "not-requested" as const } };
  assert.equal(check("association", "requested", never).ok, false);
  assert.equal(check("association", ["requested", "not-requested"], never).ok, true);
});

Deno.test("an outbound Outcome answers clientCertificate from whether we presented one", () => {
  const ours: Outcome = { ...inbound, clientCertificate: undefined };
  assert.deepEqual(check("clientCertificate", "presented", ours), {
    ok: true,
    actual: "presented",
  });
  const none = { ...ours, tls: { ...ours.tls!, clientCertificate: false } };
  assert.deepEqual(check("clientCertificate", "none", none), { ok: true, actual: "none" });
});
