/**
 * A tiny static server for the built renderer (`out/renderer`) on 127.0.0.1, sending the same
 * Content-Security-Policy header as the app:// protocol so CSP problems show up in tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../../../main/electron/app-origin';
import { readAsset } from '../../../main/electron/static-assets';

/** A running server: base URL (`http://127.0.0.1:PORT/`) and close(). */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `rootDir` on an ephemeral loopback port. GET/HEAD only; everything else 405. */
export async function startStaticServer(rootDir: string): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    void readAsset(rootDir, pathname).then((asset) => {
      if (asset.status !== 200) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': asset.contentType,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
