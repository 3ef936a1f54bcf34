/**
 * A small HTTP(S) server for the HTTP client's tests, on 127.0.0.1 with an ephemeral port.
 *
 * Routes:
 *   /echo                 JSON { method, url, headers, body } of the request
 *   /status/:code         that status, body 'status :code'
 *   /delay/:ms            answers after :ms (tracks concurrency: see `maxActive`)
 *   /slow-body/:ms        headers at once, the body after :ms
 *   /redirect/:n          302 to /redirect/:n-1 … /redirect/0 answers 'done'
 *   /redirect-to?url=&status=   a redirect with that status to that URL
 *   /set-cookie?k=v&…     Set-Cookie for each pair (path=/)
 *   /cookies              JSON of the Cookie header the server got
 *   /json                 a JSON document
 *   /html                 an HTML document
 *   /gzip                 gzip-compressed JSON
 *   /port                 the client's source port (tells connections apart)
 *   /bytes/:n             n bytes of 'x'
 *   /close                answers with Connection: close
 *   /digest               Digest auth (user 'u', password 'p', qop=auth): 401 + challenge, then 200
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  /** Most requests in flight at once on /delay, since the last reset. */
  maxActive: number;
  /** Requests seen, by path (without query). */
  hits: Map<string, number>;
  /** New TCP connections accepted. */
  connections: number;
  reset(): void;
  close(): Promise<void>;
}

export const TEST_JSON = { id: 42, name: 'volley', items: [{ id: 1, tags: ['a'] }, { id: 2, tags: ['b', 'c'] }], nested: { 'dotted.key': true, deep: { value: 'x' } } };
export const TEST_HTML = `<!doctype html><html><head><title>Test page</title></head><body>
<h1 id="top" class="big title" data-user-id="7" data-flag="true">Hello</h1>
<ul><li>one</li><li class="x">two</li><li>three</li></ul>
<a href="/echo?from=link" id="l1">link</a>
<form id="f" action="/echo" method="post"><input name="user" value="bob"><input name="pw" value=""><select name="s"><option value="1">a</option><option value="2" selected>b</option></select><textarea name="t">txt</textarea></form>
</body></html>`;

function handler(state: TestServer) {
  let active = 0;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    const seg = path.split('/');
    state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      switch (seg[1]) {
        case 'echo':
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') }));
          return;
        case 'status':
          res.statusCode = Number(seg[2]);
          res.end(`status ${seg[2]}`);
          return;
        case 'delay': {
          active++;
          state.maxActive = Math.max(state.maxActive, active);
          // 'close' fires when the response is done or the client went away (aborted requests).
          res.once('close', () => active--);
          const timer = setTimeout(() => res.end(`waited ${seg[2]}`), Number(seg[2]));
          res.once('close', () => clearTimeout(timer));
          return;
        }
        case 'slow-body':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('first ');
          setTimeout(() => res.end('last'), Number(seg[2]));
          return;
        case 'redirect': {
          const n = Number(seg[2]);
          if (n <= 0) {
            res.end('done');
            return;
          }
          res.statusCode = 302;
          res.setHeader('location', `/redirect/${n - 1}`);
          res.end();
          return;
        }
        case 'redirect-to':
          res.statusCode = Number(u.searchParams.get('status') ?? 302);
          res.setHeader('location', u.searchParams.get('url') ?? '/');
          res.end();
          return;
        case 'set-cookie':
          res.setHeader('set-cookie', [...u.searchParams].map(([k, v]) => `${k}=${v}; Path=/`));
          res.end('ok');
          return;
        case 'cookies':
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ cookie: req.headers.cookie ?? '' }));
          return;
        case 'json':
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(TEST_JSON));
          return;
        case 'html':
          res.setHeader('content-type', 'text/html');
          res.end(TEST_HTML);
          return;
        case 'gzip':
          res.setHeader('content-type', 'application/json');
          res.setHeader('content-encoding', 'gzip');
          res.end(gzipSync(JSON.stringify(TEST_JSON)));
          return;
        case 'port':
          res.end(String(req.socket.remotePort));
          return;
        case 'bytes':
          res.end('x'.repeat(Number(seg[2])));
          return;
        case 'digest': {
          const auth = req.headers.authorization ?? '';
          const f: Record<string, string> = {};
          for (const m of auth.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) f[m[1]!] = m[2] ?? m[3] ?? '';
          const md5 = (x: string) => createHash('md5').update(x).digest('hex');
          const want = md5(`${md5('u:test:p')}:n0nce:${f.nc}:${f.cnonce}:auth:${md5(`${req.method}:${f.uri}`)}`);
          if (auth.startsWith('Digest ') && f.username === 'u' && f.response === want) {
            res.end('authenticated');
          } else {
            res.statusCode = 401;
            res.setHeader('www-authenticate', 'Digest realm="test", nonce="n0nce", qop="auth", opaque="op"');
            res.end('who are you');
          }
          return;
        }
        case 'close':
          res.setHeader('connection', 'close');
          res.end('bye');
          return;
        default:
          res.statusCode = 404;
          res.end('not found');
      }
    });
  };
}

/** Starts the test server; pass key/cert for HTTPS. */
export async function startTestServer(tls?: { key: string; cert: string }): Promise<TestServer> {
  const state = {
    maxActive: 0,
    hits: new Map<string, number>(),
    connections: 0,
  } as TestServer;
  const h = handler(state);
  const server: Server = tls ? (createHttpsServer({ key: tls.key, cert: tls.cert }, h) as unknown as Server) : createHttpServer(h);
  server.on(tls ? 'secureConnection' : 'connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  state.server = server;
  state.reset = () => {
    state.maxActive = 0;
    state.hits.clear();
    state.connections = 0;
  };
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return state;
}
