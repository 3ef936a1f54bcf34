// A k6 script in the style of k6's k6/websockets examples: the function returns at once; the
// iteration goes on while its sockets are open (k6's event loop), and timers close them.
import http from 'k6/http';
import { check } from 'k6';
import { WebSocket } from 'k6/websockets';

export const options = { vus: 2, iterations: 4 };

export default function () {
  http.get(`${__ENV.BASE_URL}/fast`);
  const url = `${__ENV.BASE_URL.replace(/^http/, 'ws')}/ws/echo`;
  for (let i = 0; i < 2; i++) {
    const socket = new WebSocket(url);
    const opened = Date.now();
    socket.addEventListener('open', () => {
      socket.send('hello');
      const ticker = setInterval(() => socket.send('tick'), 20);
      setTimeout(() => {
        clearInterval(ticker);
        socket.close();
      }, 150);
    });
    socket.addEventListener('close', () => {
      check(null, { 'session lasted its 150 ms': () => Date.now() - opened >= 140 });
    });
  }
}
