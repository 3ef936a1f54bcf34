// A k6 script in the style of k6's examples/websocket.js (k6/ws: connect blocks until the socket closes).
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';

export const options = { vus: 2, iterations: 4 };

export default function () {
  http.get(`${__ENV.BASE_URL}/fast`);
  const url = `${__ENV.BASE_URL.replace(/^http/, 'ws')}/ws/echo`;
  const res = ws.connect(url, { tags: { my_tag: 'hello' } }, function (socket) {
    socket.on('open', function () {
      socket.send('hello');
      socket.setInterval(function () {
        socket.ping();
      }, 20);
    });
    socket.on('message', function (msg) {
      check(msg, { echoed: (m) => m === 'hello' });
    });
    socket.setTimeout(function () {
      socket.close();
    }, 100);
  });
  check(res, { 'status is 101': (r) => r && r.status === 101 });
}
