// The OpenSSL TLS engine of dicomtls: a long-lived Node.js process (Node's
// `node:tls` is OpenSSL) that runs TLS state machines for Deno. Deno keeps
// every TCP socket and relays its ciphertext here over a Unix socket, one
// connection per TLS conversation, in frames (see _frames.mjs); we answer
// with ciphertext to send, plaintext received, and control messages
// (handshake facts, errors, ends, flow-control credit). Plain ESM, Node 20
// APIs only, no packages.
//
// Usage: node --no-warnings _helper.mjs SOCKET_PATH
// Prints "ready" on stdout once listening; exits when stdin closes (Deno
// holds it: when Deno dies, so do we).

import { createHash, X509Certificate } from "node:crypto";
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import {
  CreditReturn,
  decodeControl,
  encodeControl,
  encodeData,
  FRAME,
  FrameDecoder,
  SendWindow,
} from "./_frames.mjs";

const CONTEXT_CACHE_SIZE = 32;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;
const contexts = new Map();
let conversations = 0;

// A secure context per distinct set of options: parsing a key and a chain
// costs about a millisecond, and a run reuses a handful of configurations.
// With it, the SHA-256 fingerprints of our trust anchors (see peerChain).
function contextFor(options) {
  const key = createHash("sha256").update(JSON.stringify(options)).digest("hex");
  let entry = contexts.get(key);
  if (entry) {
    contexts.delete(key);
  } else {
    (options.named ?? []).forEach((name) => mustExist("ciphers", name));
    // OpenSSL's own refusal of a list does not say which name ("Failed to set ECDH curve").
    options.groups?.split(":").forEach((name) => mustExist("ecdhCurve", name));
    options.sigalgs?.split(":").forEach((name) => mustExist("sigalgs", name));
    entry = {
      context: tls.createSecureContext({
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        ciphers: options.ciphers,
        ecdhCurve: options.groups ?? "auto",
        sigalgs: options.sigalgs,
        cert: options.cert,
        key: options.key,
        passphrase: options.passphrase,
        // Never Node's bundled root store: getPeerCertificate(true) would append
        // roots from it to the chain the peer sent. Our own verifier decides.
        ca: options.ca ?? [],
        dhparam: options.dhparam,
        honorCipherOrder: options.honorCipherOrder,
      }),
      anchors: fingerprints(options.ca ?? []),
    };
    if (contexts.size >= CONTEXT_CACHE_SIZE) contexts.delete(contexts.keys().next().value);
  }
  contexts.set(key, entry);
  return entry;
}

// A cipher list skips names it does not know: asked for exactly these suites,
// we check each on its own first (once per name); groups and signature
// algorithms too, to name the one this OpenSSL lacks.
const existing = new Map();
function mustExist(option, name) {
  const key = `${option}\0${name}`;
  if (!existing.has(key)) {
    let ok = true;
    try {
      // A TLS 1.3 name alone leaves no TLS 1.2 suite to carry the security level.
      tls.createSecureContext(
        option === "ciphers"
          ? { ciphers: `${name}${name.startsWith("TLS_") ? ":DEFAULT" : ""}:@SECLEVEL=0` }
          : { [option]: name },
      );
    } catch {
      ok = false;
    }
    existing.set(key, ok);
  }
  if (!existing.get(key)) {
    throw new Error(
      `${name} is not available in this OpenSSL (${process.versions.openssl}, Node ${process.version})`,
    );
  }
}

function fingerprints(pems) {
  const found = new Set();
  for (const pem of pems) {
    for (const block of String(pem).match(PEM_CERTIFICATE) ?? []) {
      found.add(new X509Certificate(block).fingerprint256);
    }
  }
  return found;
}

// The chain as the peer sent it, leaf first. Node links the peer's
// certificates by issuer and then appends issuers it finds in our own store
// (the `ca` given for a server's CertificateRequest): those trailing trust
// anchors are dropped, so that a chain the peer left incomplete stays so.
function peerChain(socket, anchors) {
  const chain = [];
  const seen = new Set();
  let cert = socket.getPeerCertificate(true);
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  while (chain.length > 1 && anchors.has(chain[chain.length - 1].fingerprint256)) chain.pop();
  return chain.map((c) => c.raw.toString("base64"));
}

function handshakeFacts(socket, role, anchors) {
  const cipher = socket.getCipher() ?? {};
  const key = role === "client" ? socket.getEphemeralKeyInfo() : null;
  return {
    type: "handshake",
    protocol: socket.getProtocol(),
    cipher: { name: cipher.name, standardName: cipher.standardName, version: cipher.version },
    ephemeralKey: key && key.type ? key : null,
    peerChain: peerChain(socket, anchors),
    sessionReused: socket.isSessionReused(),
    alpn: socket.alpnProtocol || null,
    servername: role === "server" ? socket.servername || null : null,
    sharedSigalgs: socket.getSharedSigalgs?.() ?? [],
  };
}

function errorFacts(error, phase) {
  const message = String(error?.message ?? error).slice(0, 2000);
  const facts = { type: "error", phase, message };
  for (const field of ["code", "reason", "library"]) {
    if (typeof error?.[field] === "string") facts[field] = error[field].slice(0, 200);
  }
  return facts;
}

/** One TLS conversation over one Unix-socket connection from Deno. */
class Conversation {
  #conn;
  #decoder = new FrameDecoder();
  #transport;
  #secure;
  #handshakeDone = false;
  #ended = false;
  // Flow control per stream (see _frames.mjs): what we send, what we receive.
  #transportWriteDone = null;
  #sendCiphertext = new SendWindow(() => this.#releaseTransportWrite());
  #sendPlaintext = new SendWindow(() => this.#secure?.resume());
  #receivedCiphertext = new CreditReturn((bytes) => this.#credit(FRAME.CIPHERTEXT, bytes));
  #receivedPlaintext = new CreditReturn((bytes) => this.#credit(FRAME.PLAINTEXT, bytes));

  constructor(conn) {
    this.#conn = conn;
    conversations++;
    conn.once("close", () => {
      conversations--;
      this.#ended = true;
      this.#secure?.destroy();
      this.#transport?.destroy();
    });
    conn.on("error", () => this.#finish());
    conn.on("end", () => this.#finish());
    conn.on("data", (chunk) => this.#onBytes(chunk));
  }

  #send(frame) {
    return this.#conn.destroyed || this.#conn.write(frame);
  }

  #sendControl(message) {
    this.#send(encodeControl(message));
  }

  #sendData(type, data) {
    encodeData(type, data).forEach((frame) => this.#send(frame));
  }

  #credit(frame, bytes) {
    this.#sendControl({ type: "credit", frame, bytes });
  }

  #releaseTransportWrite() {
    const done = this.#transportWriteDone;
    this.#transportWriteDone = null;
    done?.();
  }

  #finish() {
    if (this.#ended) return;
    this.#ended = true;
    this.#secure?.destroy();
    this.#transport?.destroy();
    // Let queued frames (an error, the last ciphertext) reach Deno first.
    if (!this.#conn.destroyed) this.#conn.end();
    setTimeout(() => this.#conn.destroy(), 5000).unref();
  }

  #fail(error, phase) {
    if (this.#ended) return;
    this.#sendControl(errorFacts(error, phase));
    this.#finish();
  }

  #onBytes(chunk) {
    let frames;
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      return this.#fail(e, "helper");
    }
    for (const frame of frames) {
      if (this.#ended) return;
      try {
        this.#onFrame(frame);
      } catch (e) {
        this.#fail(e, "helper");
      }
    }
  }

  #onFrame({ type, payload }) {
    if (type === FRAME.CONTROL) return this.#onControl(decodeControl(payload));
    if (!this.#secure) throw new Error("data frame before open");
    if (type === FRAME.CIPHERTEXT) {
      this.#receivedCiphertext.delivered(payload.length, this.#transport.push(payload));
      return;
    }
    const credit = this.#receivedPlaintext;
    const wasBlocked = credit.blocked;
    credit.delivered(payload.length, this.#secure.write(payload));
    if (!wasBlocked && credit.blocked) this.#secure.once("drain", () => credit.drained());
  }

  #onControl(message) {
    if (!this.#secure) {
      if (message.type === "stats") {
        // This connection is not a conversation.
        const held = { conversations: conversations - 1, contexts: contexts.size };
        this.#sendControl({ type: "stats", ...held });
        return this.#finish();
      }
      if (message.type !== "open") throw new Error(`expected open, got ${message.type}`);
      return this.#open(message);
    }
    if (message.type === "credit") {
      const window = message.frame === FRAME.CIPHERTEXT
        ? this.#sendCiphertext
        : this.#sendPlaintext;
      window.give(Number(message.bytes) || 0);
    } else if (message.type === "ciphertext-end") this.#transport.push(null);
    else if (message.type === "plaintext-end") this.#secure.end();
    else throw new Error(`unknown control message ${message.type}`);
  }

  #open(message) {
    const role = message.role === "server" ? "server" : "client";
    let entry;
    try {
      entry = contextFor(message.context ?? {});
    } catch (e) {
      return this.#fail(e, "config");
    }
    this.#transport = this.#makeTransport();
    const options = {
      secureContext: entry.context,
      rejectUnauthorized: false,
      ALPNProtocols: message.alpn ?? undefined,
    };
    this.#secure = role === "client"
      ? tls.connect({
        ...options,
        socket: this.#transport,
        servername: message.servername ?? undefined,
        checkServerIdentity: () => undefined,
      })
      : new tls.TLSSocket(this.#transport, {
        ...options,
        isServer: true,
        requestCert: message.requestCert === true,
      });
    this.#watch(role, entry.anchors);
  }

  /** The ciphertext side OpenSSL reads and writes: frames to and from Deno. */
  #makeTransport() {
    const transport = new Duplex({
      read: () => this.#receivedCiphertext.drained(),
      write: (chunk, _encoding, callback) => {
        this.#sendData(FRAME.CIPHERTEXT, chunk);
        if (this.#sendCiphertext.take(chunk.length) || this.#conn.destroyed) callback();
        else this.#transportWriteDone = callback;
      },
      final: (callback) => {
        this.#sendControl({ type: "ciphertext-end" });
        callback();
      },
    });
    transport.on("error", () => {});
    return transport;
  }

  #watch(role, anchors) {
    const secure = this.#secure;
    secure.once(role === "client" ? "secureConnect" : "secure", () => {
      this.#handshakeDone = true;
      this.#sendControl(handshakeFacts(secure, role, anchors));
    });
    secure.on("data", (data) => {
      this.#sendData(FRAME.PLAINTEXT, data);
      if (!this.#sendPlaintext.take(data.length)) secure.pause();
    });
    // Both after the event loop turn, in order: the alert OpenSSL sent goes
    // out before the error, and an alert followed by the peer's close (TLS 1.3:
    // a server refusing our certificate) is reported as the alert, not an end.
    secure.on("end", () => {
      setImmediate(() => this.#ended || this.#sendControl({ type: "plaintext-end" }));
    });
    secure.on("error", (e) => {
      setImmediate(() => this.#fail(e, this.#handshakeDone ? "after-handshake" : "handshake"));
    });
    secure.on("close", () => setImmediate(() => this.#finish()));
  }
}

function main() {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write("usage: node _helper.mjs SOCKET_PATH\n");
    process.exit(2);
  }
  // One conversation's bug must never end the others.
  process.on("uncaughtException", (e) => {
    process.stderr.write(`dicomtls openssl helper: ${String(e?.stack ?? e).slice(0, 2000)}\n`);
  });
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
  const server = net.createServer({ allowHalfOpen: true }, (conn) => new Conversation(conn));
  server.on("error", (e) => {
    process.stderr.write(`dicomtls openssl helper: cannot listen on ${path}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(path, () => process.stdout.write(`ready ${process.versions.openssl}\n`));
}

main();
