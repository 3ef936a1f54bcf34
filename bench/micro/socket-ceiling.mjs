#!/usr/bin/env node
// The ceiling of Node itself for a keep-alive GET loop: C connections, each writes a pre-serialised
// request and writes the next one when a whole response arrived (closed model, like 64 VUs).
// No parsing beyond "the response ended" (a fixed response size), no metrics, no promises.
// Compares ways to read and write a net.Socket:
//   stream  socket.on('data') + socket.write(buf)          (the stream machinery both ways)
//   onread  net.connect({ onread }) + socket.write(buf)    (reads into our buffer, no stream push)
// Usage: node bench/micro/socket-ceiling.mjs URL [mode=stream|onread] [conns=64] [seconds=5]
// Run it pinned (taskset -c 1) against a server pinned to the other core; prints req/s and
// CPU s per 10,000 requests (user+sys of this process).
import net from 'node:net';

const [url = 'http://127.0.0.1:18081/', mode = 'onread', connsArg = '64', secsArg = '5'] = process.argv.slice(2);
const u = new URL(url);
const conns = Number(connsArg);
const secs = Number(secsArg);
const req = Buffer.from(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUser-Agent: volley\r\n\r\n`, 'latin1');

// Learn the response size with one request (the route must answer a fixed-length response).
const respLen = await new Promise((resolve) => {
  const s = net.connect(Number(u.port), u.hostname, () => s.write(req));
  let got = Buffer.alloc(0);
  s.on('data', (d) => {
    got = Buffer.concat([got, d]);
    const h = got.indexOf('\r\n\r\n');
    if (h < 0) return;
    const m = /content-length: *(\d+)/i.exec(got.subarray(0, h).toString('latin1'));
    const len = h + 4 + Number(m[1]);
    if (got.length >= len) {
      s.destroy();
      resolve(len);
    }
  });
});

let count = 0;
let stop = false;
const sockets = [];
for (let i = 0; i < conns; i++) {
  let pending = 0;
  const onBytes = (n) => {
    pending -= n;
    while (pending <= 0) {
      count++;
      if (stop) return;
      pending += respLen;
      s.write(req);
    }
  };
  let s;
  if (mode === 'onread') {
    const buf = Buffer.allocUnsafe(16 * 1024);
    s = net.connect({ port: Number(u.port), host: u.hostname, onread: { buffer: buf, callback: (n) => onBytes(n) } });
  } else {
    s = net.connect(Number(u.port), u.hostname);
    s.on('data', (d) => onBytes(d.length));
  }
  s.setNoDelay(true);
  s.on('connect', () => {
    pending = respLen;
    s.write(req);
  });
  s.on('error', () => {});
  sockets.push(s);
}
await new Promise((r) => setTimeout(r, 500)); // warm-up
const c0 = count;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, secs * 1000));
const n = count - c0;
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - t0) / 1000;
stop = true;
for (const s of sockets) s.destroy();
const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(`${mode} conns=${conns}: ${Math.round(n / wall)} req/s, CPU ${((cpuS / n) * 10_000).toFixed(4)} s per 10k (user ${(cpu.user / 1e6).toFixed(2)} s, sys ${(cpu.system / 1e6).toFixed(2)} s)`);
