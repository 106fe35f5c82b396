import net from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: point a client here instead of at the target. */
  endpoint: string;
  /** Stop forwarding in both directions: bytes are held, as a frozen server would leave them unread. */
  freeze(): void;
  /**
   * Forward everything held and resume. Requests a client gave up on (aborted) while frozen still
   * reach the target, as they would reach a server that was only paused.
   */
  thaw(): void;
  /** Bytes sent on to the target since the proxy started. */
  forwardedBytes(): number;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  toUpstream: Buffer[];
  toClient: Buffer[];
  clientEnded: boolean;
}

/**
 * A TCP proxy in front of an emulator, which a test can freeze without freezing the emulator
 * itself (other test files share it).
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const links = new Set<Link>();
  let frozen = false;
  let forwarded = 0;
  const send = (socket: net.Socket, chunk: Buffer) => {
    if (!socket.destroyed) socket.write(chunk);
  };
  const toUpstream = (link: Link, chunk: Buffer) => {
    forwarded += chunk.length;
    send(link.upstream, chunk);
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    const link: Link = { client, upstream, toUpstream: [], toClient: [], clientEnded: false };
    links.add(link);
    client.on('data', (chunk) => (frozen ? link.toUpstream.push(chunk) : toUpstream(link, chunk)));
    upstream.on('data', (chunk) => (frozen ? link.toClient.push(chunk) : send(client, chunk)));
    const clientGone = () => {
      link.clientEnded = true;
      if (!frozen) upstream.end();
    };
    client.on('end', clientGone);
    client.on('close', clientGone);
    upstream.on('close', () => {
      client.destroy();
      links.delete(link);
    });
    client.on('error', () => undefined);
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const link of links) {
        for (const chunk of link.toUpstream.splice(0)) toUpstream(link, chunk);
        for (const chunk of link.toClient.splice(0)) send(link.client, chunk);
        if (link.clientEnded) link.upstream.end();
      }
    },
    forwardedBytes: () => forwarded,
    close: async () => {
      for (const link of links) {
        link.client.destroy();
        link.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
