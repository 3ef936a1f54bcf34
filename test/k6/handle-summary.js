// handleSummary with jslib k6-summary, as in k6's docs.
import http from 'k6/http';
import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';

export const options = { vus: 1, iterations: 2 };

export default function () {
  http.get(`${__ENV.BASE_URL}/health`);
}

export function handleSummary(data) {
  return { stdout: `custom summary\n${textSummary(data, { indent: ' ', enableColors: false })}` };
}
