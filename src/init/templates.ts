/**
 * The test templates of `volley init`: one per test type, each with the profile the seed plans use
 * for that type (warm-up, ramp, plateau, spike, soak) and its usual thresholds. Every template is
 * scaled by one variable, SCALE (1 = the real durations and sizes; a CI smoke run uses 0.01).
 */

/** A test type `volley init --template` writes. */
export const TEMPLATES = ['smoke', 'load', 'stress', 'spike', 'soak', 'breakpoint'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

interface Template {
  /** One line: what the test answers. */
  purpose: string;
  /** The `options` object literal (TypeScript source, indented by two). */
  options: string;
  /** Full-scale duration, for the README. */
  fullScale: string;
}

const T: Record<TemplateName, Template> = {
  smoke: {
    purpose: 'Does the service answer correctly at all? One user, a minute: run it before every other test.',
    fullScale: '1 minute, 1 VU',
    options: `  scenarios: {
    smoke: { executor: 'constant-vus', vus: 1, duration: dur(60) },
  },
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate==1'],
  },`,
  },
  load: {
    purpose: 'Does it meet its SLOs under the expected load? Warm-up, ramp to the expected users, hold, ramp down.',
    fullScale: '40 minutes, up to 100 VUs',
    options: `  scenarios: {
    load: {
      executor: 'ramping-vus',
      stages: [
        { duration: dur(60), target: count(10) }, // warm-up
        { duration: dur(300), target: count(100) }, // ramp to the expected load
        { duration: dur(1800), target: count(100) }, // hold
        { duration: dur(240), target: 0 }, // ramp down
      ],
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<300', 'p(99)<500'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },`,
  },
  stress: {
    purpose: 'How does it degrade past the expected load? Steps to 150 %, 200 % and 300 % of it; errors must stay bounded.',
    fullScale: '40 minutes, up to 300 VUs',
    options: `  scenarios: {
    stress: {
      executor: 'ramping-vus',
      stages: [
        { duration: dur(300), target: count(100) }, // expected load
        { duration: dur(300), target: count(100) },
        { duration: dur(300), target: count(150) }, // 150 %
        { duration: dur(300), target: count(150) },
        { duration: dur(300), target: count(200) }, // 200 %
        { duration: dur(300), target: count(200) },
        { duration: dur(300), target: count(300) }, // 300 %
        { duration: dur(300), target: 0 },
      ],
    },
  },
  thresholds: {
    // Graceful degradation: slower is allowed, failing is not.
    http_req_duration: ['p(95)<2000'],
    http_req_failed: ['rate<0.05'],
  },`,
  },
  spike: {
    purpose: 'Does it survive a sudden 10× surge and recover? Baseline, instant spike, hold, drop back, watch the recovery.',
    fullScale: '9 minutes, 50 → 500 VUs in 10 s',
    options: `  scenarios: {
    spike: {
      executor: 'ramping-vus',
      stages: [
        { duration: dur(60), target: count(50) }, // baseline
        { duration: dur(10), target: count(500) }, // instant 10× spike
        { duration: dur(120), target: count(500) }, // hold
        { duration: dur(10), target: count(50) }, // drop back
        { duration: dur(300), target: count(50) }, // recovery
        { duration: dur(30), target: 0 },
      ],
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<5000'],
    http_req_failed: ['rate<0.05'],
  },`,
  },
  soak: {
    purpose: 'Does it hold for hours? Constant load; the SLO must hold in every 10-minute window (no degradation), and the service memory must not trend up (no leak).',
    fullScale: '2 hours, 200 VUs',
    options: `  scenarios: {
    soak: { executor: 'constant-vus', vus: count(200), duration: dur(7200) },
  },
  // The service's own memory and CPU, from its Prometheus endpoint (docs/capacity.md); then add
  // monitor_process_resident_memory_bytes: ['drift<=0'] below: fails when memory trends up (a leak).
  // monitors: ['prometheus=http://127.0.0.1:8080/metrics'],
  thresholds: {
    // Every 10-minute window keeps the SLO, not only the average; the summary's DRIFT section says
    // whether p95 trends up.
    http_req_duration: ['p(95)<300', \`p(95)<300 for \${dur(600)}\`],
    http_req_failed: [\`rate<0.01 for \${dur(600)}\`],
  },`,
  },
  breakpoint: {
    purpose: 'Where does it break? The arrival rate rises until the SLO fails, and the test stops itself there (open model).',
    fullScale: 'up to 2 hours, 10 → 2,000 requests/s',
    options: `  scenarios: {
    breakpoint: {
      executor: 'ramping-arrival-rate',
      startRate: count(10),
      timeUnit: '1s',
      preAllocatedVUs: count(50),
      maxVUs: count(2000),
      stages: [{ duration: dur(7200), target: count(2000) }],
    },
  },
  thresholds: {
    // The breaking point: the test aborts when the SLO fails (after 10 s of data); the summary says when.
    http_req_duration: [{ threshold: 'p(95)<500', abortOnFail: true, delayAbortEval: '10s' }],
    http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
  },`,
  },
};

/** The test script of a template. `path` is the endpoint it calls (a placeholder to edit). */
export function testScript(name: TemplateName, path: string, dir = '.'): string {
  const t = T[name];
  const tags = `{ name: 'GET ${path}' }`;
  const arrival = name === 'breakpoint';
  return `// A ${name} test, written by \`volley init --template ${name}\`.
// ${t.purpose}
// Full scale (SCALE=1): ${t.fullScale}. SCALE scales every duration and count, e.g. SCALE=0.01 for a
// quick check in CI:
//   npx volley run ${dir}/${name}.test.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.01
import http from 'volley/http';
import { check${arrival ? '' : ', sleep'} } from 'volley';
import type { Options } from 'volley';

const SCALE = Number(__ENV.SCALE ?? '1');
/** Seconds of the full-scale profile, scaled (at least 1 s). */
const dur = (seconds: number) => \`\${Math.max(1, Math.round(seconds * SCALE))}s\`;
/** A full-scale count, scaled (at least 1). */
const count = (n: number) => Math.max(1, Math.round(n * SCALE));
const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';

export const options: Options = {
${t.options}
};

export default async function () {
  const res = await http.get(\`\${BASE}${path}\`, { tags: ${tags} });
  check(res, { 'status is 200': (r) => r.status === 200 });${arrival ? '' : '\n  await sleep(1);'}
}
`;
}

/** The README stub beside the tests. */
export function readme(names: readonly TemplateName[]): string {
  const rows = names.map((n) => `| [\`${n}.test.ts\`](${n}.test.ts) | ${T[n].purpose} | ${T[n].fullScale} |`).join('\n');
  return `# Load tests

Written by \`volley init\`. Each test is TypeScript run by [Volley](https://www.npmjs.com/package/volley)
(k6's vocabulary: scenarios, checks, thresholds; the exit code is the verdict: 0 passed, 99 a
threshold failed).

| test | what it answers | full scale |
| --- | --- | --- |
${rows}

Run one against your service (\`SCALE\` scales durations and user counts: 1 is the full profile):

\`\`\`sh
npx volley run ${names[0]}.test.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1 --report report.html
\`\`\`

Edit the request in \`export default\` and the thresholds to your SLOs. The GitHub Actions workflow
(\`.github/workflows/load-tests.yml\`) runs them on every pull request at a small scale and fails the
check when a threshold fails; it keeps the summary, the HTML report and the JUnit file.
`;
}

/** A GitHub Actions workflow that runs the tests and gates on them. */
export function workflow(dir: string, names: readonly TemplateName[], startCommand: string | undefined): string {
  const start = startCommand
    ? `      - name: Start the service
        run: |
          ${startCommand} &
          for i in $(seq 60); do curl -fsS -o /dev/null "$BASE_URL" && break; sleep 1; done
`
    : `      # Start the service under test here, or point BASE_URL at a test environment.
`;
  const steps = names
    .map(
      (n) => `      - name: ${n} test
        run: npx volley run ${dir}/${n}.test.ts -e BASE_URL="$BASE_URL" -e SCALE="$SCALE" --summary-export results/${n}.json --report results/${n}.html --junit results/${n}.xml --markdown results/${n}.md --quiet`,
    )
    .join('\n');
  return `# Written by \`volley init\`: runs the load tests and fails the check when a threshold fails (exit 99).
name: load tests
on:
  pull_request:
  workflow_dispatch:
    inputs:
      scale:
        description: 'SCALE (1 = the full profiles)'
        default: '0.01'
jobs:
  load-tests:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    env:
      BASE_URL: http://127.0.0.1:8080
      SCALE: \${{ github.event.inputs.scale || '0.01' }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
${start}      - run: mkdir -p results
${steps}
      - name: Keep the results
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: load-test-results
          path: results/
`;
}
