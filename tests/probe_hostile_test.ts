/**
 * The prober against servers that lie, break the protocol or attack: every
 * verdict must rest on a valid TLS answer. ServerHellos choosing a suite,
 * version, group or compression method that was not offered, a TLS 1.3
 * ServerHello without supported_versions, HelloRetryRequests that ask for
 * nothing new or come twice, a server that says yes to everything, one that
 * dies mid-probe, a warning alert before the ServerHello, bytes without end,
 * not TLS at all; and a certificate whose names carry escapes, markup and
 * CI syntax through a suite's profile case into every report. Loopback
 * listeners in this process (src/testing/listeners.ts) writing records of
 * src/testing/tls_records.ts; one real TLS SCP for the names.
 */
import assert from "node:assert/strict";
import type net from "node:net";
import { probeTarget, type ProbeTargetOptions } from "../src/probe/mod.ts";
import { probeCommand } from "../src/cli/probe.ts";
import type { ProbeReport } from "../src/probe/mod.ts";
import { evaluateProfile, profileByName } from "../src/profiles/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { derValue } from "../src/testing/certificates.ts";
import { spawnDicomtls, unsafeOnTerminal } from "../src/testing/cli.ts";
import { startHostileTextScp } from "../src/testing/hostile_peers.ts";
import { type FirstRecord, startListener } from "../src/testing/listeners.ts";
import { havePeer } from "../src/testing/peers.ts";
import { startPlainStorescp } from "../src/testing/plain_storescp.ts";
import {
  alertRecord,
  handshakeRecord,
  record,
  SERVER_HELLO_DONE,
  serverHelloRecord,
} from "../src/testing/tls_records.ts";
import { buildClientHello, probeHello } from "../src/tls/wire/mod.ts";

type Respond = (first: FirstRecord, socket: net.Socket, connection: number) => void;

// Short deadlines: these servers answer at once or never.
const FAST = { timeoutMs: 1000, retries: 1, backoffMs: 10 };

const offersTls13 = (f: FirstRecord) =>
  f.clientHello?.supportedVersions?.some((v) => v.code === 0x0304) ?? false;
const legacyVersion = (f: FirstRecord) => f.clientHello?.legacyVersion.code ?? 0x0303;
const firstSuite = (f: FirstRecord) => f.clientHello?.cipherSuites[0]?.code ?? 0x002f;

/**
 * A plausible server: TLS 1.2 with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and
 * TLS_RSA_WITH_AES_128_CBC_SHA, TLS 1.3 with TLS_AES_128_GCM_SHA256 on the
 * client's first key share; a fatal alert to anything else.
 */
const plausible: Respond = (f, socket) => {
  const offered = (code: number) => f.clientHello?.cipherSuites.some((c) => c.code === code);
  if (offersTls13(f)) {
    const share = f.clientHello?.keyShares?.[0]?.code;
    if (!offered(0x1301) || share === undefined) return void socket.end(alertRecord(2, 40));
    return void socket.end(
      serverHelloRecord({ suite: 0x1301, supportedVersion: 0x0304, keyShare: share }),
    );
  }
  if (legacyVersion(f) !== 0x0303) return void socket.end(alertRecord(2, 70));
  const suite = [0xc02f, 0x002f].find(offered);
  if (suite === undefined) return void socket.end(alertRecord(2, 40));
  socket.end(new Uint8Array([...serverHelloRecord({ suite }), ...SERVER_HELLO_DONE]));
};

async function probe(respond: Respond, options: Partial<ProbeTargetOptions> = {}) {
  const listener = await startListener({ respond });
  try {
    return await probeTarget({ host: "127.0.0.1", port: listener.port, ...FAST, ...options });
  } finally {
    await listener.close();
  }
}

const status = (r: ProbeReport, version: string) =>
  r.versions.find((v) => v.version === version)?.status;
const answer = (r: ProbeReport, version: string) =>
  r.versions.find((v) => v.version === version)?.answer ?? "";
const verdicts = (r: ProbeReport, ...names: string[]) =>
  names.map((n) => evaluateProfile(r, profileByName(n)!).verdict);

Deno.test("a server that answers every hello with the same ServerHello is undetermined, never compliant", async () => {
  // TLS 1.2 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, whatever was offered: yes to everything.
  const report = await probe((_f, s) =>
    s.end(new Uint8Array([...serverHelloRecord({ suite: 0xc02f }), ...SERVER_HELLO_DONE]))
  );
  assert.equal(status(report, "TLSv1.2"), "accepted");
  assert.equal(status(report, "TLSv1"), "unknown");
  assert.match(answer(report, "TLSv1"), /chose TLSv1\.2, newer than the TLSv1 offered/);
  assert.match(
    answer(report, "TLSv1.3"),
    /chose TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, which was not offered/,
  );
  const tls12 = report.versions.find((v) => v.version === "TLSv1.2")!;
  assert.deepEqual(tls12.suites.map((s) => s.name), ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]);
  assert.equal(tls12.suitesUnknown.length, tls12.suitesProbed - 1, "every other suite unknown");
  assert.deepEqual(verdicts(report, "bcp195", "bcp195-nd", "ihe-atna-tls12"), [
    "undetermined",
    "undetermined",
    "undetermined",
  ]);
});

Deno.test("a ServerHello or HelloRetryRequest that chose what the hello did not offer accepts and refuses nothing", async () => {
  // TLS 1.3 hellos get `hostile`, the others the plausible server's answer.
  const tls13 = (hostile: (f: FirstRecord) => Uint8Array): Respond => (f, s, n) =>
    offersTls13(f) ? s.end(hostile(f)) : plausible(f, s, n);
  const hrr = (f: FirstRecord, keyShare: number) =>
    serverHelloRecord({
      suite: firstSuite(f),
      supportedVersion: 0x0304,
      keyShare,
      helloRetryRequest: true,
    });
  const cases: [string, Respond, string[], RegExp][] = [
    [
      "a suite not offered",
      (f, s) =>
        s.end(serverHelloRecord({
          suite: firstSuite(f) === 0xc02f ? 0x002f : 0xc02f,
          version: Math.min(legacyVersion(f), 0x0303),
        })),
      ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.3"],
      /which was not offered/,
    ],
    [
      "TLS 1.3 to a hello without it",
      (_f, s) =>
        s.end(serverHelloRecord({ suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x001d })),
      ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"],
      /answered with supported_versions, which the hello did not send/,
    ],
    [
      "a compression method not offered",
      (f, s) =>
        s.end(
          serverHelloRecord({ suite: firstSuite(f), version: legacyVersion(f), compression: 1 }),
        ),
      ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"],
      /chose compression method 1, which was not offered/,
    ],
    [
      "a group not offered",
      tls13((f) =>
        serverHelloRecord({ suite: firstSuite(f), supportedVersion: 0x0304, keyShare: 0x0019 })
      ),
      ["TLSv1.3"],
      /a key share for group secp521r1, which the hello sent no share for/,
    ],
    [
      "TLS 1.3 without supported_versions",
      tls13((f) => serverHelloRecord({ suite: firstSuite(f), version: 0x0304, keyShare: 0x001d })),
      ["TLSv1.3"],
      /chose TLSv1\.3 without supported_versions/,
    ],
    [
      "a HelloRetryRequest for a group whose key share was sent",
      tls13((f) => hrr(f, f.clientHello?.keyShares?.[0]?.code ?? 0x001d)),
      ["TLSv1.3"],
      /whose key share the hello already sent/,
    ],
    [
      "two HelloRetryRequests",
      tls13((f) => new Uint8Array([...hrr(f, 0x0018), ...hrr(f, 0x0018)])),
      ["TLSv1.3"],
      /two ServerHello messages answered one hello/,
    ],
    [
      "application data before any ServerHello",
      (_f, s) => s.end(record(23, new Uint8Array(32))),
      ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"],
      /application data before any ServerHello/,
    ],
    [
      "an alert of level 9",
      (_f, s) => s.end(alertRecord(9, 40)),
      ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"],
      /an alert of level unknown_9/,
    ],
  ];
  for (const [what, respond, unknown, why] of cases) {
    const report = await probe(respond, { quick: true });
    for (const v of unknown) {
      assert.equal(status(report, v), "unknown", `${what}: ${v} ${answer(report, v)}`);
      assert.match(answer(report, v), why, what);
    }
    for (const v of report.versions.filter((v) => v.status === "accepted")) {
      assert.ok(
        v.suites.every((s) => [0xc02f, 0x002f, 0x1301].includes(s.code)),
        `${what}: ${v.version} accepted only what the server really chose`,
      );
    }
    assert.ok(
      verdicts(report, "bcp195", "bcp195-rfc8996").every((v) => v !== "compliant"),
      `${what}: no verdict rests on it`,
    );
  }
});

Deno.test("a warning alert before the ServerHello refuses nothing; an unknown fatal alert refuses", async () => {
  const warned = await probe((f, s, n) => {
    s.write(alertRecord(1, 112)); // warning unrecognized_name, as some TLS 1.2 servers send
    setTimeout(() => plausible(f, s, n), 20);
  }, { quick: true });
  assert.equal(status(warned, "TLSv1.2"), "accepted");
  assert.equal(status(warned, "TLSv1.3"), "accepted");
  assert.equal(answer(warned, "TLSv1"), "alert protocol_version");
  const unknownAlert = await probe((_f, s) => s.end(alertRecord(2, 254)), { quick: true });
  assert.equal(status(unknownAlert, "TLSv1.2"), "refused");
  assert.equal(answer(unknownAlert, "TLSv1.2"), "alert unknown_254");
});

Deno.test("a target that resets everything from its 4th connection on gets no verdict from what it no longer answered", async () => {
  const report = await probe((f, s, n) => n <= 3 ? plausible(f, s, n) : s.resetAndDestroy());
  assert.equal(status(report, "TLSv1.2"), "accepted");
  const tls12 = report.versions.find((v) => v.version === "TLSv1.2")!;
  assert.equal(tls12.suitesUnknown.length, tls12.suitesProbed, "no suite refused");
  assert.ok(
    report.notes.some((n) => n.startsWith("the target stopped answering")),
    report.notes.join("\n"),
  );
  assert.deepEqual(verdicts(report, "bcp195", "bcp195-nd"), ["undetermined", "undetermined"]);
});

Deno.test("a target whose answers change under the probe gets no verdict: a restart with another configuration, a rate limit", async () => {
  const alert = (s: net.Socket) => void s.end(alertRecord(2, 40));
  const cases: [string, Respond][] = [
    ["restarted to refuse everything", (f, s, n) => n <= 20 ? plausible(f, s, n) : alert(s)],
    // Alerts for a while, then answers as at first again: the control at the end alone would pass.
    [
      "rate-limited for a while",
      (f, s, n) => n > 30 && n <= 150 ? alert(s) : plausible(f, s, n),
    ],
    // The same by closing without a word: later answers make those closes stand as refusals.
    ["rate-limited by closing", (f, s, n) => n > 30 && n <= 150 ? s.end() : plausible(f, s, n)],
  ];
  for (const [what, respond] of cases) {
    const report = await probe(respond);
    assert.match(
      report.changed ?? "",
      /^the target's answer to the TLSv1.2 hello changed after about \d+ hellos: first ServerHello TLSv1\.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, then (alert handshake_failure|closed without an answer)$/,
      what,
    );
    assert.ok(report.notes.some((n) => n.startsWith(report.changed!)), what);
    for (const name of ["bcp195", "bcp195-nd", "bcp195-rfc8996", "ihe-atna-tls12", "B.11"]) {
      const v = evaluateProfile(report, profileByName(name)!);
      assert.equal(v.verdict, "undetermined", `${what}: ${name} ${v.violations.join("; ")}`);
      assert.match(v.requirements[0].findings[0], /^no verdict on a target that changed: /);
    }
  }
  // Limited at first only: TLS 1.2, asked first, is refused, and accepted when asked at the end.
  const late = await probe((f, s, n) => n === 1 ? alert(s) : plausible(f, s, n));
  assert.match(
    late.changed ?? "",
    /^the target's answer to the TLSv1\.2 hello changed after about \d+ hellos: first alert handshake_failure, then ServerHello TLSv1\.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256$/,
  );
  assert.deepEqual(verdicts(late, "bcp195-rfc8996", "ihe-atna-tls12"), [
    "undetermined",
    "undetermined",
  ]);
  // A target that answers the same throughout is not taken for one that changed.
  const steady = await probe(plausible);
  assert.equal(steady.changed, undefined, steady.notes.join("\n"));
  assert.deepEqual(verdicts(steady, "bcp195-nd"), ["non-compliant"]);
});

Deno.test("dicomtls probe without --profile exits 1 for a target that changed under it, 0 for a steady one", async () => {
  const log = console.log;
  const printed: string[] = [];
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  const exitOf = async (respond: Respond) => {
    const listener = await startListener({ respond });
    try {
      return await probeCommand.run([
        `127.0.0.1:${listener.port}`,
        "--no-evidence",
        "--timeout",
        "1s",
      ]);
    } finally {
      await listener.close();
    }
  };
  try {
    const restarted: Respond = (f, s, n) =>
      n <= 20 ? plausible(f, s, n) : void s.end(alertRecord(2, 40));
    assert.equal(await exitOf(restarted), 1);
    assert.match(printed.join("\n"), /changed after about \d+ hellos/);
    assert.equal(await exitOf(plausible), 0);
  } finally {
    console.log = log;
  }
});

Deno.test("a ServerHello followed by a close accepts its version and suite, and shows nothing it did not send", async () => {
  // TLS 1.2 only. DHE AES-128-GCM: ServerHello, a ServerKeyExchange with a 2048-bit prime,
  // ServerHelloDone. DHE AES-256-GCM and the ECDHE suites: a ServerHello, then a close.
  const ske = handshakeRecord(
    12,
    new Uint8Array([0x01, 0x00, 0x80, ...new Uint8Array(255), 0, 1, 2, 0, 1, 5, 4, 1, 0, 1, 0]),
  );
  const report = await probe((f, s) => {
    if (offersTls13(f) || legacyVersion(f) !== 0x0303) return void s.end(alertRecord(2, 70));
    const offered = (code: number) => f.clientHello?.cipherSuites.some((c) => c.code === code);
    const suite = [0x009e, 0x009f, 0xc02f, 0xc030].find(offered);
    if (suite === undefined) return void s.end(alertRecord(2, 40));
    const hello = serverHelloRecord({ suite });
    s.end(suite === 0x009e ? new Uint8Array([...hello, ...ske, ...SERVER_HELLO_DONE]) : hello);
  }, { quick: true });
  const tls12 = report.versions.find((v) => v.version === "TLSv1.2")!;
  // The server chose them: accepted, as the version and suite questions ask.
  assert.deepEqual(tls12.suites.map((s) => [s.name, s.dhBits]), [
    ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 2048],
    ["TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", undefined],
    ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", undefined],
    ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", undefined],
  ]);
  assert.equal(report.certificates, undefined);
  assert.equal(report.certificateRequested, false, "a ServerHelloDone without a request was seen");
  const b11 = evaluateProfile(report, profileByName("B.11")!);
  const req = (kind: string) =>
    b11.requirements.find((r) =>
      profileByName("B.11")!.requirements.find((x) => x.id === r.id)!
        .rule.kind === kind
    )!;
  // One DHE prime of 2048 bits seen does not vouch for the one never sent.
  assert.equal(req("dhe-min-bits").status, "unknown", req("dhe-min-bits").findings.join("; "));
  assert.deepEqual(req("dhe-min-bits").findings, [
    "the DHE group size in TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 (TLS 1.2) was not seen",
  ]);
  assert.equal(req("certificate-key-min").status, "unknown");
  assert.notEqual(b11.verdict, "compliant");
});

Deno.test("a server that alerts handshake_failure to every hello fails only what a refusal breaks", async () => {
  const report = await probe((_f, s) => s.end(alertRecord(2, 40)));
  assert.equal(report.reached, true, "an alert is a TLS answer");
  assert.deepEqual(report.versions.map((v) => v.status), Array(5).fill("refused"));
  assert.equal(report.changed, undefined);
  // Refusing TLS 1.2 with every suite offered breaks "TLS 1.2 supported" and the required suites;
  // no rule that forbids something fails, and none passes on anything but a refusal.
  const nd = evaluateProfile(report, profileByName("bcp195-nd")!);
  assert.equal(nd.verdict, "non-compliant");
  assert.ok(nd.violations.every((v) => v.startsWith("does not accept")), nd.violations.join("\n"));
  assert.ok(nd.violations.every((v) => !v.startsWith("accepts")));
  assert.match(
    evaluateProfile(report, profileByName("bcp195")!).violations.join("\n"),
    /^does not accept TLS 1\.2 \(required by PS3\.15 B\.9, RFC 7525 3\.1\.1\)$/m,
  );
});

Deno.test("a target that falls silent mid-probe is given up after the tries of the hellos in flight", async () => {
  const report = await probe((f, s, n) => n <= 10 ? plausible(f, s, n) : undefined, {
    timeoutMs: 200,
    retries: 3,
    concurrency: 8,
  });
  assert.match(report.notes.join("\n"), /the target stopped answering \(6 hellos in a row: /);
  // Not a first try of each of the ~330 hellos waiting (at a limit of 1, minutes with 5 s
  // deadlines) before the first hello's retries end: the hellos in flight and a few more.
  assert.ok(report.hellos.sent < 100, `${report.hellos.sent} hellos`);
  assert.deepEqual(verdicts(report, "bcp195-nd"), ["undetermined"]);
});

/** A server that writes `chunk` without end, giving the event loop a turn between writes. */
const flood = (chunk: Uint8Array): Respond => (_f, s) => {
  const batch = new Uint8Array(chunk.length * 1000);
  for (let i = 0; i < 1000; i++) batch.set(chunk, i * chunk.length);
  const pump = () => {
    if (s.destroyed) return;
    s.write(batch);
    setImmediate(pump);
  };
  pump();
};

/** A server that sends `head`, then one byte every 20 ms. */
const trickle = (head: Uint8Array): Respond => (_f, s) => {
  s.write(head);
  const timer = setInterval(
    () => s.destroyed ? clearInterval(timer) : s.write(Uint8Array.of(1)),
    20,
  );
  s.once("close", () => clearInterval(timer));
};

Deno.test("bytes without end or of impossible sizes end each hello within its bounds, as no answer", async () => {
  const maxBytes = 64 * 1024;
  const timeoutMs = 500;
  const cases: [string, Respond, RegExp][] = [
    [
      "tiny handshake records without end",
      flood(new Uint8Array([22, 3, 3, 0, 1, 2])),
      /^invalid: handshake message server_hello declares \d+ bytes, over the 65536 we read/,
    ],
    [
      "warning alerts without end",
      flood(alertRecord(1, 112)),
      /^invalid: stopped after 65536 bytes without a ServerHello or a fatal alert/,
    ],
    [
      "a record header over the record limit",
      (_f, s) => s.end(new Uint8Array([22, 3, 3, 0xff, 0xff, 2, 0, 0, 0])),
      /^not-tls: /,
    ],
    [
      "a 16 MB handshake message, trickled",
      trickle(new Uint8Array([22, 3, 3, 0x40, 0, 2, 0xff, 0xff, 0xff])),
      /^timeout: /,
    ],
  ];
  for (const [what, respond, expected] of cases) {
    const listener = await startListener({ respond });
    try {
      const result = await probeHello({
        host: "127.0.0.1",
        port: listener.port,
        hello: buildClientHello({ cipherSuites: [0xc02f] }),
        timeoutMs,
        maxBytes,
      });
      assert.match(`${result.status}: ${result.error ?? ""}`, expected, what);
      // Bounded: what one read adds past the limit (a socket read is at most 64 KiB), and the deadline.
      assert.ok(
        result.observation.received.bytes <= 2 * maxBytes,
        `${what}: ${result.observation.received.bytes} bytes`,
      );
      assert.ok(result.durationMs <= 2 * timeoutMs, `${what}: ${result.durationMs} ms`);
      // probeTarget: not one valid TLS answer, so no verdict.
      const report = await probeTarget({
        host: "127.0.0.1",
        port: listener.port,
        ...FAST,
        timeoutMs,
        maxBytes,
      });
      assert.equal(report.versions.filter((v) => v.status !== "unknown").length, 0, what);
      assert.deepEqual(verdicts(report, "bcp195"), ["undetermined"], what);
    } finally {
      await listener.close();
    }
  }
});

Deno.test("a server that does not answer TLS is not probed: garbage, SSLv2, HTTP, a close, a reset, silence after one deadline", async () => {
  const garbage = new Uint8Array(200).map((_, i) => (i * 37 + 66) & 0xff);
  const cases: [string, Respond, RegExp][] = [
    ["garbage", (_f, s) => s.end(garbage), /^not TLS: /],
    [
      "an SSLv2 ServerHello",
      (_f, s) => s.end(new Uint8Array([0x80, 0x2e, 4, 0, 1, 0, 2, ...new Uint8Array(41)])),
      /^not TLS: an SSLv2 ServerHello/,
    ],
    ["HTTP", (_f, s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"), /^not TLS: HTTP/],
    // Every version asked (5 hellos), so each close is the answer to one: none refuses anything.
    ["a close", (_f, s) => s.end(), /^no TLS answer to any hello \(closed without an answer\)$/],
    [
      "a reset",
      (_f, s) => s.resetAndDestroy(),
      /^no TLS answer to any hello \(reset without an answer\)$/,
    ],
    [
      "a record of 16 KiB declared, then a stall",
      (_f, s) => void s.write(new Uint8Array([22, 3, 3, 0x40, 0])),
      /^no whole answer within 300 ms \(5 bytes came\) \(1 try\)$/,
    ],
    ["silence", () => {}, /^TCP connected, but no answer within 300 ms \(1 try\)$/],
  ];
  for (const [what, respond, why] of cases) {
    // Three retries allowed: silence is given up on after one deadline all the same.
    const report = await probe(respond, { timeoutMs: 300, retries: 3 });
    assert.equal(report.reached, false, what);
    assert.match(report.error ?? "", why, what);
    // Silence and bytes that are not TLS after one hello; closes after one per version.
    assert.equal(report.hellos.sent, ["a close", "a reset"].includes(what) ? 5 : 1, what);
    assert.equal(report.versions.length, 0, what);
    assert.deepEqual(verdicts(report, "bcp195", "ihe-atna-tls12"), [
      "undetermined",
      "undetermined",
    ]);
  }
});

Deno.test({
  name: "a plain DICOM port (storescp without TLS) is not probed, and no profile is judged on it",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const scp = await startPlainStorescp();
    try {
      const report = await probeTarget({ host: "127.0.0.1", port: scp.port, ...FAST });
      assert.equal(report.reached, false);
      // DCMTK 3.6.7 resets the connection on a ClientHello's first byte (no PDU type 0x16).
      assert.match(report.error ?? "", /^no TLS answer to any hello \((reset|closed) without/);
      assert.deepEqual(verdicts(report, "bcp195-nd", "B.13"), ["undetermined", "undetermined"]);
    } finally {
      await scp.stop();
    }
  },
});

/** What no report may carry raw: ESC, 8-bit CSI, RLO. */
const RAW = ["\x1b", "\u009b", "\u202e"];

/** What a certificate's subject carries: erase, move up, 8-bit CSI, RLO, markup, CI syntax. */
const HOSTILE = "\x1b[2K\r\x1b[1A\u009b2J\u202Eevil</testcase><script>window.pwned=1</script>]]>" +
  "[[ATTACHMENT|/etc/passwd]]";

Deno.test({
  name:
    "a certificate with hostile names reaches the console, JSON, JUnit and HTML of a profile case escaped",
  ignore: !havePeer("xmllint", "libxml2-utils"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-hostile-probe-" });
    // Issued (a self-signed root is not judged) and signed with SHA-1: B.13 names it in a violation.
    const scp = await startHostileTextScp({
      subject: `CN=${derValue(0x0c, new TextEncoder().encode(HOSTILE + "x".repeat(2000)))}`,
      ae: "EVIL",
      text: "x",
      issuedWithSha1: true,
    });
    try {
      await Deno.writeTextFile(
        `${dir}/suite.yaml`,
        `suite: hostile names
peers:
  sut: { role: scp, ae: EVIL, host: 127.0.0.1, port: ${scp.port} }
  harness: { ae: HARNESS, verify: none }
defaults: { timeout: 5s }
cases:
  - name: the target meets B.13
    expect: { tls: established, profile: B.13 }
`,
      );
      const out = await spawnDicomtls(["run", `${dir}/suite.yaml`, "--reports", `${dir}/r`])
        .output();
      assert.equal(out.code, 1, new TextDecoder().decode(out.stderr));
      assert.deepEqual(unsafeOnTerminal(out.stdout), []);
      assert.deepEqual(unsafeOnTerminal(out.stderr), []);
      const console = new TextDecoder().decode(out.stdout);
      assert.match(
        console,
        /certificate "CN=\\x1B\[2K\\r\\x1B\[1A\\x9B2J\\u\{202E\}evil.*is signed with ecdsa-with-SHA1/,
      );

      const json = await Deno.readTextFile(`${dir}/r/results.json`);
      assert.ok(![...json].some((c) => c < " " && c !== "\n"), "no raw control character in JSON");
      const run: RunResult = JSON.parse(json);
      assert.equal(
        run.suites[0].probe?.certificates?.[0].subject,
        `CN=${HOSTILE}${"x".repeat(2000)}`,
      );
      assert.equal(run.suites[0].cases[0].profiles?.[0].verdict, "non-compliant");

      const junit = await Deno.readTextFile(`${dir}/r/junit.xml`);
      const lint = await new Deno.Command("xmllint", {
        args: ["--noout", `${dir}/r/junit.xml`],
        stderr: "piped",
      }).output();
      assert.equal(lint.code, 0, new TextDecoder().decode(lint.stderr));
      for (const bad of ["[[ATTACHMENT", "<script>", ...RAW]) assert.ok(!junit.includes(bad), bad);
      assert.match(junit, /<failure type="profile" message="certificate &quot;CN=\\x1B\[2K/);

      const html = await Deno.readTextFile(`${dir}/r/report.html`);
      for (const bad of ["<script>window", ...RAW]) assert.ok(!html.includes(bad), bad);
      assert.match(
        html,
        /certificate &quot;CN=\\x1B\[2K\\r\\x1B\[1A\\x9B2J\\u\{202E\}evil&lt;\/testcase&gt;/,
      );
    } finally {
      await scp.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
