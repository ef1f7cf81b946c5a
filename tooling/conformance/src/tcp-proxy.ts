/**
 * A TCP proxy a test can take down and bring back, to show what a driver does
 * while its backend (Redis, an SMTP relay) stops answering. Down, it drops
 * every connection and accepts new ones without ever answering: the case a
 * timeout must catch, since nothing is refused. Built for the small
 * exchanges of driver tests: it does not wait for a slow reader to drain.
 */
import type { Socket } from "bun";

export interface TcpProxy {
  /** The port clients connect to, on 127.0.0.1. */
  readonly port: number;
  /** Drops every connection; new ones are accepted and never answered. */
  down(): void;
  /** Forwards again; connections accepted while down are closed, so clients reconnect. */
  up(): void;
  close(): void;
}

interface Link {
  upstream?: Socket<undefined>;
  /** Bytes from the client before the upstream connection opened. */
  pending: Uint8Array[];
}

export function startTcpProxy(target: { hostname: string; port: number }): TcpProxy {
  let answering = true;
  const links = new Map<Socket<Link>, Link>();
  const drop = () => {
    for (const [client, link] of links) {
      link.upstream?.end();
      client.end();
    }
    links.clear();
  };
  const server = Bun.listen<Link>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        const link: Link = { pending: [] };
        client.data = link;
        links.set(client, link);
        if (!answering) return;
        void Bun.connect({
          ...target,
          socket: {
            open(upstream) {
              link.upstream = upstream;
              for (const chunk of link.pending) upstream.write(chunk);
              link.pending = [];
            },
            data: (_upstream, chunk) => void client.write(chunk),
            close: () => void client.end(),
            error: () => void client.end(),
          },
        }).catch(() => client.end());
      },
      data(client, chunk) {
        const link = client.data;
        if (!answering || !links.has(client)) return;
        if (link.upstream) link.upstream.write(chunk);
        else link.pending.push(new Uint8Array(chunk));
      },
      close(client) {
        client.data.upstream?.end();
        links.delete(client);
      },
    },
  });
  return {
    port: server.port,
    down() {
      answering = false;
      drop();
    },
    up() {
      answering = true;
      drop();
    },
    close() {
      drop();
      server.stop(true);
    },
  };
}
