/** About how much text a report chunk gathers: large reports are written a chunk at a time. */
const CHUNK_CHARS = 1 << 20;

/**
 * Texts gathered into chunks of about 1 MB: a report of many cases is
 * written piece by piece, never held as one string (nor as one string per case
 * in an array).
 */
export function* _chunked(texts: Iterable<string>): Generator<string> {
  let chunk = "";
  for (const text of texts) {
    chunk += text;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  yield chunk;
}
