/**
 * tshark as the oracle of what was on the wire: captures the TCP
 * connections to a port on lo while something runs and decodes their
 * ClientHello and ServerHello (versions, suites, SNI, groups, key shares),
 * for tests that compare our own decoding with it. Capturing on lo needs
 * root: without it the tests skip loudly (or fail with
 * DICOMTLS_REQUIRE_PEERS=1).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ClientHelloInfo } from "../outcome/mod.ts";
import { havePeer } from "./peers.ts";

const required = Deno.env.get("DICOMTLS_REQUIRE_PEERS") === "1";

/**
 * Whether tshark can capture here: installed, and we are root (capturing on
 * lo needs it). Otherwise skips loudly, or throws when peers are required.
 *
 * @example
 * ```ts
 * import { canCapture } from "./tshark.ts";
 * Deno.test({ name: "...", ignore: !canCapture(), fn() {} });
 * ```
 */
export function canCapture(): boolean {
  if (!havePeer("tshark", "tshark")) return false;
  if (Deno.uid() === 0) return true;
  const message = "tshark needs root to capture on lo: run the tshark tests as root";
  if (required) throw new Error(`DICOMTLS_REQUIRE_PEERS=1 and ${message}`);
  console.error(`\n!!! SKIPPED: ${message}\n`);
  return false;
}

/** The hello fields both sides decode, as numbers (tshark prints them in hex). */
export interface Hello {
  legacyVersion: number;
  versions: number[];
  suites: number[];
  serverName?: string;
  groups: number[];
  keyShares: number[];
}

/** What both decoders report: the first ClientHello, the ServerHello, a HelloRetryRequest's group. */
export interface Hellos {
  client?: Hello;
  server?: Hello;
  retryGroup?: number;
}

/**
 * Our decoding of a ClientHello as the fields tshark decodes, to compare.
 *
 * @example
 * ```ts
 * import { clientHelloFields } from "./tshark.ts";
 * import type { ClientHelloInfo } from "../outcome/mod.ts";
 * declare const hello: ClientHelloInfo;
 * clientHelloFields(hello).versions; // [0x0304, 0x0303]
 * ```
 */
export function clientHelloFields(ch: ClientHelloInfo): Hello {
  return {
    legacyVersion: ch.legacyVersion.code,
    versions: (ch.supportedVersions ?? []).map((v) => v.code),
    suites: ch.cipherSuites.map((s) => s.code),
    groups: (ch.supportedGroups ?? []).map((g) => g.code),
    keyShares: (ch.keyShares ?? []).map((g) => g.code),
    ...(ch.serverName ? { serverName: ch.serverName } : {}),
  };
}

// tshark fields, in the order _parseHellos reads them.
const FIELDS = [
  "tls.handshake.type",
  "tls.handshake.version",
  "tls.handshake.extensions.supported_version",
  "tls.handshake.ciphersuite",
  "tls.handshake.extensions_server_name",
  "tls.handshake.extensions_supported_group",
  "tls.handshake.extensions_key_share_group",
  "tls.handshake.extensions_key_share_selected_group",
];

/**
 * Captures the TCP connections to `port` on lo while `run` runs; resolves
 * tshark's decoded hellos (the first ClientHello, the ServerHello).
 *
 * @example
 * ```ts
 * import { captured } from "./tshark.ts";
 * declare const port: number;
 * declare function connectTo(port: number): Promise<void>;
 * const hellos = await captured(port, () => connectTo(port));
 * hellos.client?.versions; // [0x0304, 0x0303]
 * ```
 */
export async function captured(port: number, run: () => Promise<void>): Promise<Hellos> {
  const pcap = await Deno.makeTempFile({ prefix: "dicomtls-wire-", suffix: ".pcapng" });
  const tshark = new Deno.Command("tshark", {
    args: ["-i", "lo", "-f", `tcp port ${port}`, "-w", pcap],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = tshark.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  // Slow to start on a loaded machine (over 10 s seen with several test runs at once).
  const deadline = Date.now() + 30_000;
  // "Capturing on 'lo'" comes before the capture really runs; the file line after it.
  while (!/File: /.test(log) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  assert.match(log, /File: /, `tshark did not start: ${log.slice(0, 300)}`);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 300)); // let the last packets reach the file
  } finally {
    tshark.kill("SIGTERM");
    reader.cancel().catch(() => {});
    await tshark.status;
  }
  const out = await new Deno.Command("tshark", {
    args: [
      ...["-r", pcap, "-d", `tcp.port==${port},tls`],
      ...["-Y", "tls.handshake.type == 1 || tls.handshake.type == 2"],
      ...["-T", "fields", "-E", "separator=/t", "-E", "aggregator=,"],
      ...FIELDS.flatMap((f) => ["-e", f]),
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  await Deno.remove(pcap);
  return _parseHellos(new TextDecoder().decode(out.stdout));
}

/** tshark's lines, one per hello frame, as {@linkcode Hellos} (numbers: tshark prints hex). */
function _parseHellos(text: string): Hellos {
  const hellos: Hellos = {};
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [type, legacy, versions, suites, sni, groups, shares, selected] = line.split("\t");
    const numbers = (s: string) => (s ? s.split(",").map(Number) : []);
    if (selected) {
      hellos.retryGroup = Number(selected); // a HelloRetryRequest
      continue;
    }
    const hello: Hello = {
      legacyVersion: Number(legacy.split(",")[0]),
      versions: numbers(versions),
      suites: numbers(suites),
      groups: numbers(groups),
      keyShares: numbers(shares),
      ...(sni ? { serverName: sni } : {}),
    };
    // The first ClientHello (a second one follows a HelloRetryRequest) and the ServerHello.
    if (type.split(",")[0] === "1") hellos.client ??= hello;
    else hellos.server = hello;
  }
  return hellos;
}
