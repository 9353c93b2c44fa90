/**
 * The host side of the bubblewrap backend's network allow list: an HTTP proxy on a unix socket
 * (bound into the sandbox, where socat turns it into 127.0.0.1:3128). It tunnels CONNECT and
 * forwards plain-HTTP requests to allowed hosts only, and answers 403 for every other host. The
 * sandbox has no other way out: its network namespace holds nothing but loopback.
 */
import * as http from 'node:http';
import * as net from 'node:net';

/** `host`, `*.domain` (subdomains only) or either with `:port`, as in the policy's allowHosts. */
export function hostAllowed(host: string, port: number, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (!h) return false;
  return patterns.some((raw) => {
    const m = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase())!;
    const [pattern, p] = [m[1], m[2]];
    if (p !== undefined && Number(p) !== port) return false;
    if (pattern.startsWith('*.')) return net.isIP(h) === 0 && h.endsWith(pattern.slice(1));
    return h === pattern.replace(/\.$/, '');
  });
}

/** Splits `host:port` / `[v6]:port` of a CONNECT target. */
export function splitTarget(target: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

export interface AllowProxy {
  socketPath: string;
  /** Hosts refused so far (`host:port`), for the user's information. */
  denied: string[];
  close(): Promise<void>;
}

const HOP_HEADERS = ['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade'];

/** Starts the proxy on a unix socket at `socketPath`. */
export function startAllowProxy(socketPath: string, allowHosts: readonly string[]): Promise<AllowProxy> {
  const sockets = new Set<net.Socket>();
  const denied: string[] = [];
  const refuse = (host: string, port: number) => {
    const what = `${host}:${port}`;
    if (!denied.includes(what)) denied.push(what);
    return `wirecheck sandbox: ${what} is not on the allow list (network.allowHosts)\n`;
  };
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('wirecheck sandbox: the proxy takes absolute http:// URLs or CONNECT\n');
      return;
    }
    const port = url.port ? Number(url.port) : 80;
    if (url.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('wirecheck sandbox: only http:// is proxied this way; use CONNECT for https\n');
      return;
    }
    if (!hostAllowed(url.hostname, port, allowHosts)) {
      res.writeHead(403, { 'content-type': 'text/plain', 'x-proxy-error': 'blocked-by-wirecheck-sandbox' }).end(refuse(url.hostname, port));
      return;
    }
    const headers = { ...req.headers };
    for (const h of HOP_HEADERS) delete headers[h];
    const upstream = http.request({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, method: req.method, path: url.pathname + url.search, headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`wirecheck sandbox: ${url.host}: ${e.message}\n`);
    });
    req.pipe(upstream);
  });

  server.on('connection', track);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    track(client);
    const target = splitTarget(req.url ?? '');
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nwirecheck sandbox: CONNECT needs host:port\n');
      return;
    }
    if (!hostAllowed(target.host, target.port, allowHosts)) {
      const body = refuse(target.host, target.port);
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-proxy-error: blocked-by-wirecheck-sandbox\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    const upstream = net.connect(target.port, target.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', (e) => {
      if (client.writable) client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\nwirecheck sandbox: ${req.url}: ${e.message}\n`);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve({
        socketPath,
        denied,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
