/**
 * Test helpers: the captured conversations of fixtures/tls (see its
 * README.md), as bytes, and a replay of one into a {@linkcode WireObserver}.
 */
import { parseHandshakeStream } from "./handshake.ts";
import { WireObserver } from "./observer.ts";
import type { WireObservation } from "./observation.ts";

/** The conversations captured in fixtures/tls. */
export type FixtureName =
  | "echoscu_storescp_tls13"
  | "deno_storescp_tls12"
  | "openssl_storescp_dhe_tls12"
  | "openssl_storescp_px_tls10"
  | "openssl_storescp_untrusted_tls12"
  | "echoscu_plain_to_tls_port"
  | "openssl_to_plain_storescp";

/** One captured conversation: what the client and the server sent. */
export interface Fixture {
  description: string;
  client: Uint8Array;
  server: Uint8Array;
}

/** Hex to bytes. */
export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Reads `fixtures/tls/NAME.json`. */
export function fixture(name: FixtureName): Fixture {
  const json = JSON.parse(
    Deno.readTextFileSync(new URL(`../../../fixtures/tls/${name}.json`, import.meta.url)),
  );
  return {
    description: json.description,
    client: fromHex(json.clientBytes),
    server: fromHex(json.serverBytes),
  };
}

/** The body of the first `type` handshake message (e.g. "client_hello") `from` sent in a fixture. */
export function firstMessage(
  name: FixtureName,
  type: string,
  from: "client" | "server",
): Uint8Array {
  const found = parseHandshakeStream(fixture(name)[from]).messages.find((m) => m.typeName === type);
  if (!found) throw new Error(`${name}: the ${from} sent no ${type}`);
  return found.body;
}

/**
 * Replays a conversation into an observer in a plausible order: the
 * client's first record (its ClientHello), all the server sent, then the
 * rest of the client's bytes, split into `chunk`-byte pieces.
 */
export function replay(
  name: FixtureName,
  options: { role: "client" | "server"; chunk?: number },
): WireObservation {
  const { client, server } = fixture(name);
  const observer = new WireObserver({ role: options.role });
  const feed = (from: "client" | "server", bytes: Uint8Array) => {
    const ours = (from === "client") === (options.role === "client");
    const step = options.chunk ?? (bytes.length || 1);
    for (let at = 0; at < bytes.length; at += step) {
      const piece = bytes.subarray(at, at + step);
      if (ours) observer.sent(piece);
      else observer.received(piece);
    }
  };
  const first = client.length >= 5 && client[0] === 22
    ? 5 + ((client[3] << 8) | client[4])
    : client.length;
  feed("client", client.subarray(0, first));
  feed("server", server);
  feed("client", client.subarray(first));
  return observer.observation();
}
