import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree, freePort, PortInUseError, portAccepts } from '../../../lib/local/tcp-ports.js';

describe('assertPortFree', () => {
  it('passes for a free port and for port 0', async () => {
    await expect(assertPortFree(await freePort(), '127.0.0.1')).resolves.toBeUndefined();
    await expect(assertPortFree(0, '127.0.0.1')).resolves.toBeUndefined();
  });

  it('fails with PortInUseError naming a port something listens on', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const failure = await assertPortFree(port, '127.0.0.1').catch((e: unknown) => e);

      expect(failure).toBeInstanceOf(PortInUseError);
      expect((failure as PortInUseError).port).toBe(port);
      expect(await portAccepts(port)).toBe(true);
    } finally {
      server.close();
    }
  });
});
