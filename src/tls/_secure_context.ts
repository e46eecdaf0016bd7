import tls from "node:tls";
import type { TlsCredentials } from "./credentials.ts";
import type { TlsVersion } from "./version.ts";
import { InputError } from "../yaml/input_error.ts";

// The context of our credentials, or an InputError saying why our stack
// cannot use them (rustls: "key too small" below 2048-bit RSA).
export function _localContext(
  credentials: TlsCredentials,
  versions: { minVersion?: TlsVersion; maxVersion?: TlsVersion },
): tls.SecureContext {
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

// Given cert and key, node:tls builds a context per connection and parses the
// private key each time: about 0.5 ms, and native memory that only a garbage
// collection frees (it piled up to ~100 MB over 2,000 cases). One context per
// credentials and version range instead; a given context ignores the
// connection's minVersion/maxVersion, so they are part of it.
const contexts = new WeakMap<TlsCredentials, Map<string, tls.SecureContext>>();

function secureContextFor(
  credentials: TlsCredentials,
  versions: { minVersion?: TlsVersion; maxVersion?: TlsVersion },
): tls.SecureContext {
  let byVersions = contexts.get(credentials);
  if (!byVersions) contexts.set(credentials, byVersions = new Map());
  const key = `${versions.minVersion}-${versions.maxVersion}`;
  let context = byVersions.get(key);
  if (!context) {
    context = tls.createSecureContext({
      cert: credentials.cert,
      key: credentials.key,
      minVersion: versions.minVersion,
      maxVersion: versions.maxVersion,
    });
    byVersions.set(key, context);
  }
  return context;
}
