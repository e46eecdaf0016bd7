/**
 * The version a ServerHello (or HelloRetryRequest) body chose, read without
 * decoding it: supported_versions when present, else legacy_version;
 * undefined when the body is too short. Cheap enough for every hello on the
 * hot path; the full decode waits for a snapshot.
 */
export function _serverHelloVersion(body: Uint8Array): number | undefined {
  // legacy_version(2) random(32) legacy_session_id<1> cipher_suite(2) compression(1) extensions<2>
  if (body.length < 35) return undefined;
  const legacy = (body[0] << 8) | body[1];
  let at = 35 + body[34] + 3;
  if (at + 2 > body.length) return legacy;
  const end = Math.min(body.length, at + 2 + ((body[at] << 8) | body[at + 1]));
  at += 2;
  while (at + 4 <= end) {
    const type = (body[at] << 8) | body[at + 1];
    const length = (body[at + 2] << 8) | body[at + 3];
    if (type === 43 && length === 2 && at + 6 <= end) return (body[at + 4] << 8) | body[at + 5];
    at += 4 + length;
  }
  return legacy;
}
