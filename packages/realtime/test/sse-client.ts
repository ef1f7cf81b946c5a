/** A small SSE reader over fetch, as a non-browser client would write one. */

export interface SseEvent {
  event: string;
  id: string | undefined;
  data: unknown;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private readonly controller = new AbortController();
  status = 0;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    const res = await fetch(url, { headers, signal: reader.controller.signal });
    reader.status = res.status;
    if (res.status !== 200) {
      reader.ended = true;
      reader.body = await res.json().catch(() => null);
      return reader;
    }
    void reader.read(res);
    await reader.next((e) => e.event === "subscribed" || e.event === "reset");
    return reader;
  }

  body: unknown;

  private async read(res: Response): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const body = res.body!.getReader();
      for (let r = await body.read(); !r.done; r = await body.read()) {
        buffer += decoder.decode(r.value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close().
    }
    this.ended = true;
  }

  private parse(block: string): void {
    let event = "message";
    let id: string | undefined;
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(":");
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      fields++;
      if (name === "event") event = value;
      else if (name === "id") id = value;
      else if (name === "data") data.push(value);
    }
    if (fields === 0 || data.length === 0) return;
    this.events.push({ event, id, data: JSON.parse(data.join("\n")) });
  }

  /** Waits for the first event (from `from`) matching `predicate`. */
  async next(predicate: (e: SseEvent) => boolean, timeoutMs = 10_000, from = 0): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching SSE event; got ${JSON.stringify(this.events)}`);
      await Bun.sleep(10);
    }
  }

  /** Changes only (create/update/delete). */
  get changes(): SseEvent[] {
    return this.events.filter((e) => ["create", "update", "delete"].includes(e.event));
  }

  async waitChanges(n: number, timeoutMs = 10_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.changes.length < n) {
      if (Date.now() > deadline)
        throw new Error(`expected ${n} changes, got ${JSON.stringify(this.changes)}`);
      await Bun.sleep(10);
    }
    return this.changes;
  }

  close(): void {
    this.controller.abort();
  }
}
