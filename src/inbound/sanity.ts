import { connectTls, listenTls, tlsChoice, type TlsStackName } from "../tls/mod.ts";
import type { TlsSettings } from "../security/mod.ts";

/** Whether our listener can complete a TLS handshake with anyone, in words. */
export interface ListenerSanity {
  /** Our own client got our certificate and completed its side of the handshake. */
  ok: boolean;
  /** What was seen, e.g. "our listener completed a TLSv1.3 handshake with our own client". */
  message: string;
}

/**
 * The sanity conversation of an inbound case (tlsfuzzer's rule: a refusal
 * counts only when the other side could have agreed): a listener with
 * exactly the case's certificate, versions, suites and stack, on a port of
 * its own, and our own client with the same versions and suites, verifying
 * nothing. It passes when our client got through our certificate: the
 * handshake completed, or it was asked for a client certificate (a mutual
 * listener). A listener that fails it can complete a handshake with no
 * one, so a SUT's refusal of it would prove nothing.
 *
 * @example
 * ```ts
 * import { checkListener } from "./sanity.ts";
 * import type { TlsSettings } from "../security/mod.ts";
 * declare const settings: TlsSettings;
 * const v = await checkListener({ settings, stack: "rustls", timeoutMs: 5000 });
 * if (!v.ok) console.log(v.message);
 * ```
 */
export async function checkListener(o: {
  settings: TlsSettings;
  stack: TlsStackName;
  timeoutMs: number;
}): Promise<ListenerSanity> {
  const { settings } = o;
  const server = await listenTls({
    credentials: settings.credentials!,
    requestCert: settings.requestCert,
    tls: settings.tls,
    handshakeTimeoutMs: o.timeoutMs,
    onConnection: ({ socket }) => socket.destroy(),
  });
  try {
    const c = await connectTls({
      host: "127.0.0.1",
      port: server.port,
      timeoutMs: o.timeoutMs,
      ...tlsChoice({ ...settings.tls, stack: o.stack }),
    });
    if (c.ok) {
      c.socket.destroy();
      return {
        ok: true,
        message: `our listener completed a ${c.tls.protocol} handshake with our own client`,
      };
    }
    const t = c.tls;
    if (t?.after === "our-certificate" || t?.after === "handshake-complete") {
      return {
        ok: true,
        message: `our listener presented its certificate to our own client and asked for ` +
          `a client certificate (${t.protocol ?? "TLS"})`,
      };
    }
    return {
      ok: false,
      message: `our listener cannot complete a TLS handshake with anyone: our own client, ` +
        `offering the same versions and suites, got ${t?.status ?? c.tcp.status}${
          t?.error ? ` (${t.error})` : ""
        }`,
    };
  } finally {
    await server.close();
  }
}
