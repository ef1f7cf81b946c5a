/**
 * A nudge to the garbage collector while large bodies stream. The chunks a
 * Bun request body yields live outside the JavaScript heap, and the collector
 * does not count them: next to a large heap (an embedded PGlite is ~300 MiB)
 * it lets hundreds of MiB of read chunks pile up before it runs (measured:
 * +200 MiB RSS to drain a 200 MiB body; +22 MiB with this nudge). One
 * non-blocking collection per 32 MiB streamed, counted across every stream
 * of the process, keeps an upload's memory flat.
 */
const EVERY = 32 * 1024 * 1024;
let since = 0;

export function noteStreamed(bytes: number): void {
  since += bytes;
  if (since >= EVERY) {
    since = 0;
    Bun.gc(false);
  }
}
