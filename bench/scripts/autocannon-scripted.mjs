// Bench case (b) for autocannon: its CLI cannot run per-response code, so this runs autocannon's own
// API (the same engine as the CLI, in this one process) with an onResponse hook that checks the status
// and parses the JSON body. Prints autocannon's result object as JSON, like `autocannon --json`.
//   node bench/scripts/autocannon-scripted.mjs URL CONNECTIONS DURATION_S
import autocannon from 'autocannon';

const [url, connections, duration] = process.argv.slice(2);
let bad = 0;
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(duration),
  requests: [
    {
      method: 'GET',
      onResponse: (status, body) => {
        if (status !== 200 || JSON.parse(body).name !== 'volley') bad++;
      },
    },
  ],
});
result.benchCheckFailures = bad;
process.stdout.write(`${JSON.stringify(result)}\n`);
