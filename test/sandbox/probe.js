#!/usr/bin/env node
/**
 * Escape probe: run inside the sandbox with the path of a JSON spec; tries everything the spec
 * lists and prints one JSON report on stdout. Every attempt is recorded as "ok" (with what it got)
 * or the error code that stopped it, so the test decides what must be allowed and what denied.
 *
 * spec: {
 *   read: [paths], write: [paths], env: [names],
 *   direct: [{host, port}],                   // plain TCP connect, no proxy
 *   viaProxy: [url],                          // GET http://… sent to $HTTP_PROXY
 *   connect: ["host:port"],                   // CONNECT through $HTTP_PROXY
 *   unixSockets: [paths],                     // connect to a host service's unix socket
 *   commands: [[file, ...args]]               // e.g. ["umount", "/home/x/.ssh"]
 * }
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const { spawnSync } = require('node:child_process');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const report = { uid: process.getuid(), read: {}, write: {}, env: {}, direct: {}, viaProxy: {}, connect: {}, unixSockets: {}, commands: {} };
const code = (e) => e.code || e.message;

for (const p of spec.read || []) {
  try {
    report.read[p] = { ok: true, text: fs.readFileSync(p, 'utf8').slice(0, 200) };
  } catch (e) {
    report.read[p] = { ok: false, code: code(e) };
  }
}
for (const p of spec.write || []) {
  try {
    fs.writeFileSync(p, 'written from the sandbox\n');
    report.write[p] = { ok: true };
  } catch (e) {
    report.write[p] = { ok: false, code: code(e) };
  }
}
for (const name of spec.env || []) report.env[name] = Object.prototype.hasOwnProperty.call(process.env, name) ? process.env[name] : null;
report.env.TMPDIR = process.env.TMPDIR || null;
report.env.HTTP_PROXY = process.env.HTTP_PROXY || null;

for (const cmd of spec.commands || []) {
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  report.commands[cmd.join(' ')] = { status: r.status, error: r.error ? code(r.error) : undefined, stderr: (r.stderr || '').trim().slice(0, 300) };
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve({ ok: false, code: 'TIMEOUT' }), ms).unref())]);
}

function direct({ host, port }) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve({ ok: true });
    });
    s.once('error', (e) => resolve({ ok: false, code: code(e) }));
  });
}

function proxyParts() {
  const u = new URL(process.env.HTTP_PROXY);
  const headers = {};
  if (u.username) headers['proxy-authorization'] = 'Basic ' + Buffer.from(decodeURIComponent(u.username) + ':' + decodeURIComponent(u.password)).toString('base64');
  return { host: u.hostname, port: Number(u.port), headers };
}

function viaProxy(url) {
  return new Promise((resolve) => {
    if (!process.env.HTTP_PROXY) return resolve({ ok: false, code: 'NO_PROXY_SET' });
    const p = proxyParts();
    const req = http.request({ host: p.host, port: p.port, path: url, headers: { ...p.headers, host: new URL(url).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode, body: body.slice(0, 200) }));
    });
    req.on('error', (e) => resolve({ ok: false, code: code(e) }));
    req.end();
  });
}

function connect(target) {
  return new Promise((resolve) => {
    if (!process.env.HTTP_PROXY) return resolve({ ok: false, code: 'NO_PROXY_SET' });
    const p = proxyParts();
    const req = http.request({ host: p.host, port: p.port, method: 'CONNECT', path: target, headers: { ...p.headers, host: target } });
    req.on('connect', (res, socket) => {
      socket.destroy();
      resolve({ ok: res.statusCode === 200, status: res.statusCode });
    });
    req.on('response', (res) => resolve({ ok: false, status: res.statusCode }));
    req.on('error', (e) => resolve({ ok: false, code: code(e) }));
    req.end();
  });
}

function unixSocket(p) {
  return new Promise((resolve) => {
    const s = net.connect({ path: p });
    s.once('connect', () => {
      s.destroy();
      resolve({ ok: true });
    });
    s.once('error', (e) => resolve({ ok: false, code: code(e) }));
  });
}

(async () => {
  for (const d of spec.direct || []) report.direct[`${d.host}:${d.port}`] = await withTimeout(direct(d), 5000);
  for (const u of spec.viaProxy || []) report.viaProxy[u] = await withTimeout(viaProxy(u), 10000);
  for (const t of spec.connect || []) report.connect[t] = await withTimeout(connect(t), 10000);
  for (const p of spec.unixSockets || []) report.unixSockets[p] = await withTimeout(unixSocket(p), 5000);
  // sockets a proxy keeps alive must not hold the probe open
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0));
})();
