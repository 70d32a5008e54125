/**
 * Reads a body stream up to `maxBytes`, stopping (and cancelling the stream)
 * as soon as it passes: a client cannot make the server hold more. Null when
 * it was larger. The cancel is not awaited: on a tee branch (a cloned
 * request's body) it settles only once the original is cancelled too.
 */
export async function readUpTo(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
