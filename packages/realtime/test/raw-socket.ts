/** A WebSocket client written by hand, to behave as browsers never do: stop reading, never answer a ping. */
import { connect, type Socket } from "node:net";

function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

export interface RawSocket {
  socket: Socket;
  received: number;
  closed: boolean;
  send(message: unknown): void;
}

export function openRawSocket(url: string): Promise<RawSocket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const raw: RawSocket = {
      socket,
      received: 0,
      closed: false,
      send: (message) => socket.write(maskedText(JSON.stringify(message))),
    };
    let upgraded = false;
    socket.on("data", (chunk) => {
      raw.received += chunk.length;
      if (!upgraded && chunk.toString().startsWith("HTTP/1.1 101")) {
        upgraded = true;
        resolve(raw);
      }
    });
    socket.on("close", () => {
      raw.closed = true;
    });
    socket.on("error", reject);
    socket.write(
      `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
  });
}
