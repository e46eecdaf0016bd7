import assert, { ok, strictEqual } from "node:assert/strict";
import { renderJunit, renderJunitChunks } from "./mod.ts";
import { generateRun } from "../testing/generated_run.ts";
import { sampleRun, SECRET_MARKERS } from "../testing/sample_run.ts";
import { TICKET_FOLDERS, ticketRun } from "../testing/ticket_run.ts";

Deno.test("renderJunit() escapes markup, shows control characters as visible escapes and carries no secrets", () => {
  const run = sampleRun();
  run.suites[0].cases[2].message = "csi \u009b2J bidi \u202Eevil";
  const xml = renderJunit(run);
  ok(
    xml.includes(`revoked client certificate is refused &lt;&amp;&quot;&apos;&gt; \\x07\\x1B[31m`),
  );
  // deno-lint-ignore no-control-regex
  ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(xml), "XML 1.0 forbids C0 control characters");
  ok(!/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(xml), "no DEL, C1 or bidi character");
  ok(xml.includes("csi \\x9B2J bidi \\u{202E}evil"), "shown as escapes");
  for (const secret of SECRET_MARKERS) ok(!xml.includes(secret), `report contains ${secret}`);
  ok(xml.includes("[private key removed]"));
});

Deno.test("renderJunit() shows lone surrogates and U+FFFE that XML 1.0 cannot carry as escapes", () => {
  const run = sampleRun();
  run.suites[0].cases[0].name = "bad \uD800 text \uFFFE end 😀";
  const xml = renderJunit(run);
  ok(xml.includes(`name="bad \\u{D800} text \\u{FFFE} end 😀 [key=ec-p256]"`), xml.slice(0, 2000));
});

const testcases = (xml: string) => [...xml.matchAll(/<testcase [^>]*>/g)].map((m) => m[0]);

Deno.test("renderJunit() names the suite as classname and gives each testcase one file and line", () => {
  const run = sampleRun();
  const heads = testcases(renderJunit(run));
  const cases = run.suites.flatMap((s) => s.cases.map((c) => ({ s, c })));
  strictEqual(heads.length, cases.length);
  heads.forEach((head, i) => {
    const { s, c } = cases[i];
    ok(head.includes(` classname="${s.name}"`), head);
    ok(head.includes(` file="${c.location.file}" line="${c.location.line}"`), head);
    strictEqual(head.match(/ file=/g)?.length, 1, head);
  });
});

Deno.test("renderJunit() with fileLine: false leaves file and line off the testcases", () => {
  const heads = testcases(renderJunit(sampleRun(), { fileLine: false }));
  ok(heads.length > 0 && heads.every((h) => !/ (file|line)=/.test(h)), heads.join("\n"));
});

Deno.test("renderJunit() keeps each case's evidence in its system-out, not in the suite header", () => {
  const xml = renderJunit(ticketRun());
  const suiteProperties = xml.slice(xml.indexOf("<properties>"), xml.indexOf("</properties>"));
  strictEqual(suiteProperties.match(/<property /g)?.length, 5, suiteProperties);
  ok(!suiteProperties.includes('name="file"'), "the suite's file is its attribute, once");
  ok(xml.includes(' hostname="lab-pc-7"'), "the tester's host");
  for (
    const line of [
      "[[PROPERTY|wire.serverHello=TLSv1.3, TLS_AES_128_GCM_SHA256, secp256r1]]",
      "[[PROPERTY|tls=timeout, waiting for the peer&apos;s ServerHello]]",
      "expected: the association was rejected as expected: rejected-permanent, service-user, calling-ae-title-not-recognized",
    ]
  ) ok(xml.includes(line), `no ${line}`);
  ok(!xml.includes(TICKET_FOLDERS.home), "no absolute path of the tester's machine");
});

Deno.test("renderJunitChunks() makes the XML a case at a time, in bounded chunks", () => {
  const run = generateRun({ cases: 6000, suites: 2 });
  const chunks = [...renderJunitChunks(run)];
  assert.ok(chunks.length > 4, `${chunks.length} chunks`);
  assert.ok(Math.max(...chunks.map((c) => c.length)) < 2 << 20);
  assert.equal(chunks.join("").match(/<testcase /g)?.length, 6000);
});

Deno.test("renderJunit() gives the suite's description as a property and each case's description and tags in its system-out, escaped", () => {
  const xml = renderJunit(sampleRun());
  ok(
    xml.includes(
      '<property name="description" value="DCMTK storescp with mutual TLS&#10;second line &lt;script&gt;alert(1)&lt;/script&gt; \\u{202E}evil"/>',
    ),
    "the suite's description first among its properties, its line break kept in the attribute",
  );
  const trusted = xml.slice(xml.indexOf('<testcase name="trusted client certificate'));
  const out = trusted.slice(trusted.indexOf("<system-out>"), trusted.indexOf("</system-out>"));
  ok(
    out.includes(
      "[[PROPERTY|description]]the baseline: a valid chain to the trusted root &lt;b&gt;&amp;amp;&lt;/b&gt;\n\\x1B[31mred[[/PROPERTY]]",
    ),
    out,
  );
  ok(out.includes("[[PROPERTY|tags=smoke, mtls]]"), out);
  ok(!xml.includes("<script>") && !xml.includes("\u202E"), "nothing raw from the description");
  // A suite or case without a description has no empty property.
  ok(!/name="description" value=""|\[\[PROPERTY\|description=\]\]/.test(xml));
  const plain = renderJunit(ticketRun());
  ok(
    plain.includes(
      `<property name="description" value="the device&apos;s TLS requirements (~/reqs/device.pdf) expected_xxx`,
    ),
  );
  ok(plain.includes("[[PROPERTY|description=requirement SEC-7: expected_xxx"));
});

Deno.test("renderJunit() breaks the [[ ]] of Jenkins' attachments syntax in peer text: a certificate subject cannot attach a file of the CI agent or forge a property", () => {
  const run = sampleRun();
  const c = run.suites[0].cases.find((c) => c.outcome?.tls?.peer)!;
  c.outcome!.tls!.peer!.subject =
    "CN=x]][[ATTACHMENT|/etc/passwd]], O=[[[/PROPERTY]][[PROPERTY|verdict=ok]]";
  c.status = "failed";
  c.message = "peer said [[ATTACHMENT|/root/.ssh/id_rsa]]";
  run.suites[0].peerLog = "log [[ATTACHMENT|/etc/shadow]]";
  const xml = renderJunit(run);
  ok(!xml.includes("[[ATTACHMENT"), "no attachment line");
  ok(!xml.includes("[[PROPERTY|verdict"), "no forged property");
  ok(
    xml.includes(
      "[[PROPERTY|peer.subject]]CN=x]\\x5D[\\x5BATTACHMENT|/etc/passwd]\\x5D, " +
        "O=[\\x5B\\x5B/PROPERTY]\\x5D[\\x5BPROPERTY|verdict=ok]\\x5D[[/PROPERTY]]",
    ),
    "the subject shown whole in its property, its [[ and ]] escaped",
  );
  ok(xml.includes("[[PROPERTY|peer.sha1="), "our own properties stay");
});

Deno.test("renderJunit() shows our A-ABORT on a timeout beside the timeout it stays", () => {
  const run = sampleRun();
  const o = run.suites[0].cases[0].outcome!;
  o.ok = false;
  o.stage = "association";
  o.association = {
    result: "timeout",
    callingAe: "DICOMTLS",
    calledAe: "MUTE",
    abort: { source: "service-user", reason: "reason-not-specified", by: "us" },
    error: "Timed out waiting for A-ASSOCIATE-AC; we sent an A-ABORT and closed",
  };
  ok(
    renderJunit(run).includes(
      "[[PROPERTY|association=timeout, aborted by us: service-user, reason-not-specified (DICOMTLS to MUTE)]]",
    ),
  );
});

Deno.test("renderJunit() says our A-ABORT on the peer's protocol violation was ours, in an expected refusal and an actual that never came", () => {
  const run = sampleRun();
  const [passed, failed] = run.suites[0].cases;
  const association = {
    result: "aborted" as const,
    abort: { source: "service-provider", reason: "unrecognized-pdu", by: "us" as const },
    error: "Cannot decode PDU: type 0x09 is not a PS3.8 PDU type",
  };
  for (const c of [passed, failed]) {
    c.outcome = { ...c.outcome!, ok: false, stage: "association", association };
    delete c.outcome.dimse;
  }
  passed.status = "passed";
  passed.assertions = [{ path: "echo", expected: "failure", actual: "failure", ok: true }];
  failed.status = "failed";
  failed.assertions = [{ path: "reason", expected: "unrecognized-pdu", actual: null, ok: false }];
  const xml = renderJunit(run);
  ok(
    xml.includes(
      "expected: the association was aborted by us on the peer&apos;s protocol violation as expected: service-provider, unrecognized-pdu",
    ),
    xml,
  );
  ok(xml.includes("actual nothing: ended at association, aborted by us"), xml);
});
