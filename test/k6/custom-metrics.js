// Custom metrics, in the style of k6's examples/custom_metrics.js.
import http from 'k6/http';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';

const myCounter = new Counter('my_counter');
const myGauge = new Gauge('my_gauge');
const myRate = new Rate('my_rate');
const myTrend = new Trend('my_trend', true);

export const options = { vus: 2, iterations: 6, thresholds: { my_counter: ['count==6'], my_rate: ['rate==1'] } };

export default function () {
  const res = http.get(`${__ENV.BASE_URL}/fast`);
  myCounter.add(1);
  myGauge.add(res.status);
  myRate.add(res.status === 200);
  myTrend.add(res.timings.waiting);
}
