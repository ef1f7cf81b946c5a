/** Bun's WebSocket with a queue of parsed messages to wait on. */

export type Message = { type: string } & Record<string, unknown>;

export class WsClient {
  readonly messages: Message[] = [];
  closeCode: number | undefined;
  closeReason: string | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.onmessage = (e) => this.messages.push(JSON.parse(String(e.data)) as Message);
    socket.onclose = (e) => {
      this.closeCode = e.code;
      this.closeReason = e.reason;
    };
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    const socket = new WebSocket(url, { headers } as unknown as string[]);
    const client = new WsClient(socket);
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(client);
      socket.onerror = () => reject(new Error(`could not open ${url}`));
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  async next(predicate: (m: Message) => boolean, timeoutMs = 10_000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
      await Bun.sleep(10);
    }
  }

  async subscribe(id: string, body: Record<string, unknown>): Promise<Message> {
    this.send({ type: "subscribe", id, ...body });
    return this.next(
      (m) =>
        (m.type === "subscribed" || m.type === "error") && (m.id === id || m.subscription === id),
    );
  }

  events(subscription: string): Message[] {
    return this.messages.filter((m) => m.type === "event" && m.subscription === subscription);
  }

  async waitEvents(subscription: string, n: number, timeoutMs = 10_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events(subscription).length < n) {
      if (Date.now() > deadline)
        throw new Error(
          `expected ${n} events on ${subscription}, got ${JSON.stringify(this.messages)}`,
        );
      await Bun.sleep(10);
    }
    return this.events(subscription);
  }

  async closed(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error("the socket stayed open");
      await Bun.sleep(10);
    }
    return this.closeCode;
  }

  close(): void {
    this.socket.close();
  }
}
