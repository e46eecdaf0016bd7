import tls from "node:tls";
import { thumbprintOf } from "./certificate_info.ts";
import type { TlsCredentials } from "./credentials.ts";
import { _pem } from "./_pem.ts";
import type { TlsVersion } from "./version.ts";
import { InputError } from "../yaml/input_error.ts";

// The largest certificate rustls presents: its DER reader (webpki) takes lengths of at most two
// bytes, so 4 bytes of header and 65,535 of content.
const RUSTLS_MAX_CERTIFICATE_BYTES = 65_539;

// The context of our credentials, or an InputError saying why our stack
// cannot use them (rustls: "key too small" below 2048-bit RSA, a certificate over 64 KiB).
export function _localContext(
  credentials: TlsCredentials,
  versions: { minVersion?: TlsVersion; maxVersion?: TlsVersion },
): tls.SecureContext {
  const size = credentials.chain[0]?.length ?? 0;
  if (size > RUSTLS_MAX_CERTIFICATE_BYTES) {
    // The context is made; every handshake then failed ("unsupported protocol"), which serve
    // logged as a client that closed without sending a byte.
    throw new InputError({
      message: `our TLS stack (rustls) cannot present ${credentials.source}: the certificate ` +
        `is ${size.toLocaleString("en")} bytes, over the ${
          RUSTLS_MAX_CERTIFICATE_BYTES.toLocaleString("en")
        } rustls reads`,
      hint: "give a certificate with fewer names, or use the OpenSSL stack",
    });
  }
  try {
    return secureContextFor(credentials, versions);
  } catch (e) {
    throw new InputError({
      message: `our TLS stack (rustls) cannot present ${credentials.source} ` +
        `(${credentials.certificate.key}): ${(e as Error).message}`,
      hint: "rustls needs RSA keys of at least 2048 bits or EC keys",
    });
  }
}

/**
 * A `tls.Server` for one connection (see _accept.ts) on a ready context: one
 * per credentials, version range and anchors, made once. Given cert and key,
 * Deno's `tls.Server` builds its context in its constructor and parses the
 * private key each time: 0.3 ms of serve's 3.4 ms CPU per association
 * (--cpu-prof, 2026-11-30). Deno's Server ignores a `secureContext` option
 * (every handshake then fails: measured), so this subclass sets the context
 * where its constructor would build one (`_sharedCreds`, which Deno's
 * connection listener hands to each TLSSocket).
 */
export function _contextServer(
  credentials: TlsCredentials,
  o: {
    minVersion?: TlsVersion;
    maxVersion?: TlsVersion;
    anchors?: readonly Uint8Array[];
    requestCert: boolean;
    rejectUnauthorized: boolean;
  },
): tls.Server {
  const options: tls.TlsOptions & { [CONTEXT]: tls.SecureContext } = {
    requestCert: o.requestCert,
    rejectUnauthorized: o.rejectUnauthorized,
    [CONTEXT]: secureContextFor(credentials, o),
  };
  return new ContextServer(options);
}

const CONTEXT = Symbol("dicomtls secure context");

class ContextServer extends tls.Server {
  override setSecureContext(options: tls.SecureContextOptions & { [CONTEXT]?: tls.SecureContext }) {
    const context = options[CONTEXT];
    if (context) (this as unknown as { _sharedCreds: tls.SecureContext })._sharedCreds = context;
    else super.setSecureContext(options);
  }
}

// Given cert and key, node:tls builds a context per connection and parses the
// private key each time: about 0.5 ms, and native memory that only a garbage
// collection frees (it piled up to ~100 MB over 2,000 cases). One context per
// credentials, version range and anchors instead; a given context ignores the
// connection's minVersion/maxVersion and ca, so they are part of it.
const contexts = new WeakMap<TlsCredentials, Map<string, tls.SecureContext>>();
const anchorKeys = new WeakMap<readonly Uint8Array[], string>();

function secureContextFor(
  credentials: TlsCredentials,
  o: { minVersion?: TlsVersion; maxVersion?: TlsVersion; anchors?: readonly Uint8Array[] },
): tls.SecureContext {
  let byOptions = contexts.get(credentials);
  if (!byOptions) contexts.set(credentials, byOptions = new Map());
  const key = `${o.minVersion}-${o.maxVersion}-${o.anchors ? anchorsKey(o.anchors) : ""}`;
  let context = byOptions.get(key);
  if (!context) {
    context = tls.createSecureContext({
      cert: credentials.cert,
      key: credentials.key,
      minVersion: o.minVersion,
      maxVersion: o.maxVersion,
      ...(o.anchors ? { ca: o.anchors.map((der) => _pem(der)) } : {}),
    });
    byOptions.set(key, context);
  }
  return context;
}

// The same anchors in another array give the same key: no context per array.
function anchorsKey(anchors: readonly Uint8Array[]): string {
  let key = anchorKeys.get(anchors);
  if (key === undefined) {
    key = anchors.map((der) => thumbprintOf(der, "sha256")).join(",");
    anchorKeys.set(anchors, key);
  }
  return key;
}
