import { freePort } from "../process/mod.ts";
import { pkiFile, type PkiResult } from "./pki.ts";

/** Options of {@linkcode startTlsTerminatingProxy}. */
export interface TlsTerminatingProxyOptions {
  /** Its server certificate: the PKI's `server`. */
  pki: PkiResult;
  /** The plain DICOM backend it forwards to. */
  backendPort: number;
  /** The highest TLS version it accepts. */
  maxVersion: "TLSv1.2" | "TLSv1.3";
  /** The 1-based connection at which it waits for `release()` before reaching the backend. */
  holdAt?: number;
}

/** A running {@linkcode startTlsTerminatingProxy}. */
export interface TlsTerminatingProxy {
  port: number;
  /** Resolves once the `holdAt` connection has completed its handshake and waits. */
  held: Promise<void>;
  /** Lets the held connection go on to the backend. */
  release(): Promise<void>;
  /** How many connections completed a handshake. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * A TLS-terminating proxy in a Node.js process (its OpenSSL), as stunnel or
 * an nginx stream block: it completes every TLS 1.2/1.3 handshake, accepting
 * any client certificate, and pipes the plaintext to `backendPort`; when the
 * backend is gone it closes each connection right after the handshake,
 * without an alert or a DICOM answer. For tests that a dead backend is never
 * read as the refusal of a client certificate.
 *
 * @example
 * ```ts
 * import { startTlsTerminatingProxy } from "./tls_terminating_proxy.ts";
 * import { testPki } from "./pki.ts";
 * const proxy = await startTlsTerminatingProxy({
 *   pki: await testPki(),
 *   backendPort: 11112,
 *   maxVersion: "TLSv1.3",
 * });
 * await proxy.stop();
 * ```
 */
export async function startTlsTerminatingProxy(
  o: TlsTerminatingProxyOptions,
): Promise<TlsTerminatingProxy> {
  const port = freePort();
  const script = new URL("../../fixtures/peers/tls_terminating_proxy.mjs", import.meta.url);
  const child = new Deno.Command("node", {
    args: [
      script.pathname,
      String(port),
      String(o.backendPort),
      pkiFile(o.pki, "server", "chain"),
      pkiFile(o.pki, "server", "key"),
      o.maxVersion,
      String(o.holdAt ?? 0),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const stdin = child.stdin.getWriter();
  let connections = 0;
  let ready!: () => void, held!: () => void;
  const listening = new Promise<void>((resolve) => (ready = resolve));
  const holding = new Promise<void>((resolve) => (held = resolve));
  const reading = (async () => {
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === "listening") ready();
        if (line.startsWith("connection ")) connections++;
        if (line.startsWith("hold ")) held();
      }
    }
  })();
  const exited = child.status.then((s) => {
    throw new Error(`the TLS-terminating proxy exited (${s.code}) before it listened`);
  });
  await Promise.race([listening, exited]);
  exited.catch(() => {});
  return {
    port,
    held: holding,
    release: () => stdin.write(new TextEncoder().encode("go\n")),
    connections: () => connections,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
      await stdin.close().catch(() => {});
      await reading;
    },
  };
}
