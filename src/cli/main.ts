import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, VolleyError } from '../errors/index.js';
import { PLAIN_OPTIONS } from '../config/option-specs.js';
import type { CliOptionFlags } from '../config/sources.js';
import { dashboardFlags, dashboardOptionsFromFlags } from '../dashboard/flags.js';
import { reportError } from './report-error.js';
import { VERSION } from './version.js';

function intArg(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be an integer${min > 0 ? ` ≥ ${min}` : ' ≥ 0'}, got "${v}"`);
    return n;
  };
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

function keyValue(flag: string) {
  return (v: string, prev: Record<string, string> | undefined): Record<string, string> => {
    const i = v.indexOf('=');
    if (i <= 0) throw new InvalidArgumentError(`${flag} takes KEY=VALUE, got "${v}"`);
    return { ...(prev ?? {}), [v.slice(0, i)]: v.slice(i + 1) };
  };
}

/** The option table's flags (config/option-specs.ts): its flag, help line and argument kind. */
function addOptionTableFlags(cmd: Command): void {
  for (const spec of PLAIN_OPTIONS) {
    if (spec.flag === undefined || spec.cli === undefined) continue;
    const arg = spec.kind === 'bool' ? '' : spec.kind === 'tags' ? ' <NAME=VALUE>' : spec.kind === 'int' ? ' <n>' : ' <value>';
    const opt = new Option(`${spec.short ? `${spec.short}, ` : ''}${spec.flag}${arg}`, `${spec.help ?? ''}${spec.env ? `; env ${spec.env}` : ''}`);
    if (spec.kind === 'int') opt.argParser(intArg(spec.flag, spec.min ?? 0));
    else if (spec.kind === 'tags') opt.argParser(keyValue(spec.flag));
    cmd.addOption(opt);
  }
}

/** The option table's flags as given on the command line (absent flags: absent keys). */
function optionTableValues(o: Record<string, unknown>): CliOptionFlags {
  const out: Record<string, unknown> = {};
  for (const spec of PLAIN_OPTIONS) {
    if (spec.flag === undefined || spec.cli === undefined) continue;
    const opt = new Option(spec.flag);
    const v = o[opt.attributeName()];
    if (spec.kind === 'bool') {
      if (opt.negate ? v === false : v === true) out[spec.cli] = true;
    } else if (v !== undefined) out[spec.cli] = v;
  }
  return out as CliOptionFlags;
}

/** Builds the command-line interface. Each action sets `exit.code`. */
export function buildProgram(exit: { code: number }): Command {
  const program = new Command('volley')
    .description('Volley: load and performance testing for Node.js, with TypeScript scripts in k6 vocabulary.')
    .version(VERSION, '-v, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`volley: ${str.replace(/^error: /, 'error: ')}`) });

  const run = program
    .command('run')
    .description('run a load test: a TypeScript or JavaScript script (.ts, .mts, .cts, .js, .mjs, .cjs; k6 scripts as written) or an Artillery YAML test (.yml, .yaml)')
    .argument('<script>', 'path of the test script')
    .option('-u, --vus <n>', 'number of VUs (shortcut: with --duration, a constant-vus scenario)', intArg('--vus', 0))
    .option('-d, --duration <duration>', 'test duration, e.g. 30s, 1m30s (shortcut option)')
    .option('-i, --iterations <n>', 'total iterations shared by the VUs (shortcut option)', intArg('--iterations', 1))
    .option('-s, --stages <stages>', 'ramping stages as duration:target,... e.g. 10s:20,20s:20,5s:0')
    .option('-e, --env <KEY=VALUE>', 'add an environment variable for __ENV (repeatable)', keyValue('--env'))
    .option('-o, --out <output>', 'send results to an output: json=FILE, csv=FILE, prometheus=:9464, prometheus-rw=URL, otlp=URL, influxdb=URL (repeatable)', collect)
    .option('--summary-export <file>', 'write the end-of-test summary as JSON (k6 handleSummary shape)')
    .option('--report <file>', 'write a self-contained HTML report with charts and an analysis')
    .option('--junit <file>', 'write JUnit XML: a test case per threshold and per check')
    .option('--markdown <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('-q, --quiet', 'no live progress display')
    .option('--save', 'save the run in the run store (.volley/history.db, or --store)')
    .option('--store <file-or-url>', 'run store: a SQLite file, or postgres://… (default .volley/history.db, or $VOLLEY_STORE)')
    .option('--label <KEY=VALUE>', 'label the saved run, e.g. env=staging (repeatable)', keyValue('--label'))
    .option('--baseline <run>', 'compare with a baseline: a run id, latest, a branch (its latest passing run) or a summary file')
    .option('--max-regression <budget>', "fail (exit 98) on a significant regression beyond a budget, e.g. 'http_req_duration:p(95)=+10%' (repeatable)", collect)
    .option('--start-at <time>', 'start the test at this instant: RFC 3339 (2026-12-24T10:00:00Z) or relative (+30s); runners given the same instant start together')
    .option('--aggregate <url>', 'push this runner\'s results each second to volley aggregate (one live view and abortOnFail across runners), e.g. http://127.0.0.1:6565')
    .addOption(new Option('--aggregate-token <secret>', 'the token volley aggregate was started with').env('VOLLEY_AGGREGATE_TOKEN'))
    .addOption(new Option('--no-color', 'no colours in the output'));
  addOptionTableFlags(run);
  for (const f of dashboardFlags) run.addOption(new Option(f.flags, `${f.description}${f.defaultValue === undefined ? '' : ` (default ${f.defaultValue})`}; env ${f.env}`));
  run.action(async (script: string, o: Record<string, unknown>) => {
      const { runCommand } = await import('./run-command.js');
      const dashboard = dashboardOptionsFromFlags(Object.fromEntries(dashboardFlags.map((f) => [new Option(f.flags).attributeName(), o[new Option(f.flags).attributeName()]])));
      exit.code = await runCommand(script, {
        ...optionTableValues(o),
        dashboard,
        vus: o.vus as number | undefined,
        duration: o.duration as string | undefined,
        iterations: o.iterations as number | undefined,
        stages: o.stages as string | undefined,
        env: o.env as Record<string, string> | undefined,
        out: o.out as string[] | undefined,
        summaryExport: o.summaryExport as string | undefined,
        report: o.report as string | undefined,
        junit: o.junit as string | undefined,
        markdown: o.markdown as string | undefined,
        quiet: o.quiet === true,
        color: o.color === false ? false : undefined,
        history: {
          save: o.save === true ? true : undefined,
          store: o.store as string | undefined,
          labels: o.label as Record<string, string> | undefined,
          baseline: o.baseline as string | undefined,
          maxRegression: o.maxRegression as string[] | undefined,
        },
        startAt: o.startAt as string | undefined,
        aggregate: o.aggregate as string | undefined,
        aggregateToken: o.aggregateToken as string | undefined,
      });
    });

  const aggregate = program
    .command('aggregate')
    .description('an endpoint the runners of one test push to (volley run --aggregate URL): thresholds judged live on their merged results (abortOnFail stops every runner), one progress line and one live dashboard; the exact verdict stays volley merge\'s')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:6565')
    .option('--runners <n>', 'end once this many runners have pushed and finished; exit 99 when a threshold failed on the merge', intArg('--runners', 1))
    .addOption(new Option('--token <secret>', 'secret every push must carry (needed off loopback; runners: --aggregate-token)').env('VOLLEY_AGGREGATE_TOKEN'))
    .option('-q, --quiet', 'no progress lines');
  for (const f of dashboardFlags) aggregate.addOption(new Option(f.flags, `${f.description}${f.defaultValue === undefined ? '' : ` (default ${f.defaultValue})`}; env ${f.env}`));
  aggregate.action(async (o: Record<string, unknown>) => {
    const { aggregateCommand } = await import('./aggregate/command.js');
    const dashboard = dashboardOptionsFromFlags(Object.fromEntries(dashboardFlags.map((f) => [new Option(f.flags).attributeName(), o[new Option(f.flags).attributeName()]])));
    exit.code = await aggregateCommand({
      listen: o.listen as string,
      ...(o.runners !== undefined ? { runners: o.runners as number } : {}),
      ...(o.token !== undefined ? { token: o.token as string } : {}),
      ...(dashboard ? { dashboard } : {}),
      quiet: o.quiet === true,
    });
  });

  program
    .command('target')
    .description('start the built-in target service (a demo API, or your routes from a YAML/JSON file)')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', intArg('--port'), 8080)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('-c, --config <file>', 'target config file (YAML or JSON); default: the demo profile')
    .action(async (o: { port: number; host: string; config?: string }) => {
      const { runTargetCommand } = await import('../target/index.js');
      await runTargetCommand({ port: o.port, host: o.host, ...(o.config ? { config: o.config } : {}) });
    });

  program
    .command('proxy')
    .description('start a fault-injection proxy (HTTP faults, Toxiproxy toxics) with a Toxiproxy-compatible control API')
    .option('-l, --listen <host:port>', 'address of the proxy', '127.0.0.1:9000')
    .option('-u, --upstream <url>', 'what to proxy: http://host:port (HTTP faults and toxics) or host:port (TCP, toxics)')
    .option('-n, --name <name>', 'name of that proxy in the control API', 'main')
    .option('-f, --fault <fault>', "an HTTP fault, e.g. 'status=503 rate=0.2 path=/v1/*' (repeatable; see docs/faults.md)", collect)
    .option('-t, --toxic <toxic>', "a Toxiproxy toxic, e.g. 'latency latency=100 jitter=10 stream=downstream' (repeatable)", collect)
    .option('--api <host:port>', 'control API address (Toxiproxy-compatible), or off', '127.0.0.1:8474')
    .action(async (o: { listen: string; upstream?: string; name: string; fault?: string[]; toxic?: string[]; api: string }) => {
      const { runProxyCommand } = await import('../proxy/index.js');
      await runProxyCommand({ listen: o.listen, name: o.name, api: o.api, ...(o.upstream ? { upstream: o.upstream } : {}), faults: o.fault ?? [], toxics: o.toxic ?? [] });
    });

  program
    .command('report')
    .description('render a saved summary (--summary-export) as an HTML report, JUnit XML or Markdown')
    .argument('<summary>', 'summary JSON written by volley run --summary-export (or a volley find-capacity --out file: the capacity page)')
    .requiredOption('-o, --output <file>', 'where to write the HTML report')
    .option('--junit <file>', 'also write JUnit XML')
    .option('--markdown <file>', 'also write a Markdown summary')
    .action(async (summary: string, o: { output: string; junit?: string; markdown?: string }) => {
      const { reportCommand } = await import('../report/cli.js');
      exit.code = await reportCommand(summary, { output: o.output, ...(o.junit ? { junit: o.junit } : {}), ...(o.markdown ? { markdown: o.markdown } : {}) });
    });

  program
    .command('merge')
    .description('merge the summaries of a distributed test\'s runners (--execution-segment) into one: exact totals and percentiles, thresholds evaluated again, exit code as one run')
    .argument('<summaries...>', 'summary JSON files written by volley run --summary-export')
    .requiredOption('-o, --output <file>', 'where to write the merged summary JSON')
    .option('--report <file>', 'also write the HTML report')
    .option('--junit <file>', 'also write JUnit XML')
    .option('--markdown <file>', 'also write a Markdown summary')
    .option('-q, --quiet', 'do not print the summary')
    .action(async (files: string[], o: { output: string; report?: string; junit?: string; markdown?: string; quiet?: boolean }) => {
      const { mergeCommand } = await import('./merge/command.js');
      exit.code = await mergeCommand(files, o);
    });

  program
    .command('k8s')
    .description('write the Kubernetes manifests that run a test as N segments (Indexed Job, ConfigMap with the bundled script, merge Job); --apply applies them with kubectl')
    .argument('<script>', 'path of the test script')
    .requiredOption('-p, --parallelism <n>', 'number of runner pods (the Indexed Job\'s completions and parallelism)', intArg('--parallelism', 1))
    .requiredOption('--image <image>', 'image with Volley installed (docker/Dockerfile builds it)')
    .option('-o, --output <dir>', 'write run.yaml and merge.yaml into this folder (default: print YAML)')
    .option('--name <name>', 'name prefix of the objects (default: from the script\'s file name)')
    .option('-n, --namespace <namespace>', 'namespace of the objects')
    .option('--data <file>', 'a data file the script opens, put in the ConfigMap beside it (repeatable)', collect)
    .option('-e, --env <KEY=VALUE>', 'environment variable of the runners, __ENV in the script (repeatable)', keyValue('--env'))
    .option('--env-from-secret <name>', 'a Secret whose keys become environment variables of the runners (repeatable)', collect)
    .option('--out <output>', 'an output of every runner, as volley run -o, e.g. prometheus-rw=URL (repeatable)', collect)
    .option('--start-at <time>', 'start all runners at this instant: RFC 3339, or +duration from now (resolved when the manifests are written)')
    .option('--aggregate', 'also run volley aggregate (Job, Service, Secret with a random token): abortOnFail across the runners and one live dashboard (kubectl port-forward svc/NAME-aggregate 5665)')
    .option('--cpu <quantity>', 'CPU request of a runner (default 1; no CPU limit unless --cpu-limit)')
    .option('--memory <quantity>', 'memory request of a runner (default: 131 MB + 7.1 KB per VU, +50 %)')
    .option('--cpu-limit <quantity>', 'CPU limit of a runner (default none: a quota throttles the event loop and shows as latency)')
    .option('--memory-limit <quantity>', 'memory limit of a runner (default twice the request)')
    .option('--parts-claim <pvc>', 'an existing PersistentVolumeClaim for the parts (default: a ReadWriteMany PVC <name>-parts)')
    .option('--storage-class <class>', 'storage class of the parts PVC')
    .option('--storage <quantity>', 'size of the parts PVC', '1Gi')
    .option('--apply', 'apply with kubectl, wait for the runners, run the merge Job and exit with its code')
    .option('--timeout <seconds>', 'with --apply, how long to wait for the runners (default the Job\'s deadline)', intArg('--timeout', 1))
    .action(async (script: string, o: Record<string, unknown>) => {
      const { k8sCommand } = await import('./k8s/command.js');
      exit.code = await k8sCommand(script, o as unknown as import('./k8s/command.js').K8sFlags);
    });

  program
    .command('init')
    .description('write typed load tests from templates (smoke, load, stress, spike, soak, breakpoint), a README and a GitHub Actions workflow')
    .argument('[dir]', 'folder for the tests', 'load-tests')
    .option('-t, --template <types>', 'comma-separated test types: smoke, load, stress, spike, soak, breakpoint', 'smoke,load')
    .option('--path <path>', 'the endpoint the tests call, e.g. /api/health', '/')
    .option('--start <command>', 'command that starts the service in the CI workflow')
    .option('--force', 'overwrite existing files')
    .action(async (dir: string, o: { template: string; path: string; start?: string; force?: boolean }) => {
      const { initCommand } = await import('../init/init-command.js');
      exit.code = await initCommand({ dir, template: o.template, path: o.path, start: o.start, force: o.force });
    });

  program
    .command('capacity')
    .description('capacity plan: a traffic model against a measured per-instance capacity → instances, in-flight requests (Little\'s law), connections')
    .requiredOption('--traffic <model>', "traffic model, e.g. 'orgs=1000, per_org_per_day=1000, peak=10x, growth=2x'")
    .option('--measured <summary|run-id>', 'a run against one instance: its summary JSON (volley run --summary-export), a volley find-capacity --out file, or its id in the run history')
    .option('--headroom <percent>', 'buffer on top of the planned peak', '50%')
    .option('--capacity-rps <n>', 'requests/s one instance sustains (instead of, or overriding, --measured)')
    .option('--latency-ms <ms>', 'mean latency at that load (instead of, or overriding, --measured)')
    .option('--json', 'print the plan as JSON')
    .option('--markdown <file>', 'also write the plan as Markdown')
    .option('--report <file>', "also write the plan as HTML: the measured run's report with a Capacity plan section (or the find-capacity page with the plan)")
    .option('--store <path|url>', 'the run history --measured RUN_ID is read from (default .volley/history.db, or VOLLEY_HISTORY)')
    .action(async (o: { traffic: string; measured?: string; headroom: string; capacityRps?: string; latencyMs?: string; json?: boolean; markdown?: string; report?: string; store?: string }) => {
      const { buildPlan, capacityCommand } = await import('../capacity/command.js');
      const { storedMeasurement } = await import('./capacity-measured.js');
      const opts = { ...o, measuredData: await storedMeasurement(o.measured, o.store) };
      const built = await buildPlan(opts);
      exit.code = await capacityCommand(opts, built);
      if (o.report) {
        const { writeCapacityReport } = await import('./capacity-report.js');
        await writeCapacityReport(o.report, built.plan, { headroom: built.headroom, traffic: o.traffic, measured: o.measured, measuredData: opts.measuredData });
        process.stderr.write(`volley: report: ${o.report}\n`);
      }
    });

  program
    .command('find-capacity')
    .description('breakpoint search: steady open-model steps of the script, ramped then bisected, to the highest arrival rate at which every SLO holds')
    .argument('<script>', 'path of the test script (its default function, or --exec, is one iteration)')
    .option('--slo <metric:expression>', "an SLO, e.g. 'http_req_duration:p(95)<300' (repeatable; default: the script's thresholds)", collect)
    .option('--start-rate <n>', 'first arrival rate (iterations/s)', '10')
    .option('--max-rate <n>', 'highest arrival rate to try', '10000')
    .option('--growth <factor>', 'ramp factor between steps', '2')
    .option('--precision <share>', 'bisect until the held and broken rates are this close (relative)', '0.1')
    .option('--step-duration <duration>', 'length of each steady step', '10s')
    .option('--max-steps <n>', 'most steps in all', '12')
    .option('--uncertain <policy>', "a step whose SLO interval straddles the limit: 'extend' re-runs it once 4× as long, then counts it as broke; 'broke' counts it as broke at once", 'extend')
    .option('--max-vus <n>', 'VUs per step (default: 2 s of arrivals, at least 20)')
    .option('--cooldown <duration>', 'pause between steps, for the system to drain (default: the step duration, at most 5s; 0: none)')
    .option('--exec <function>', 'exported function to run (default: the first scenario\'s, or default)')
    .option('-e, --env <KEY=VALUE>', 'add an environment variable for __ENV (repeatable)', keyValue('--env'))
    .option('--json', 'print the finding as JSON')
    .option('--out <file>', 'also write the finding as JSON (volley capacity --measured reads it)')
    .option('--report <file>', 'write an HTML page with the capacity, the step table and p95 by rate')
    .option('-q, --quiet', 'no step lines on stderr')
    .action(async (script: string, o: Record<string, unknown>) => {
      const { findCapacityCommand } = await import('./find-capacity.js');
      exit.code = await findCapacityCommand(script, o);
    });

  program
    .command('convert')
    .description('write a Volley TypeScript test from a k6 script, an Artillery YAML test, a HAR recording, an OpenAPI spec or a Postman collection')
    .argument('<from>', 'what the input is: k6, artillery, har, openapi or postman')
    .argument('<file>', 'the file to convert')
    .requiredOption('-o, --output <file>', 'where to write the test (.ts)')
    .action(async (from: string, file: string, o: { output: string }) => {
      const { convertCommand } = await import('../convert/command.js');
      exit.code = await convertCommand(from, file, o.output);
    });

  program
    .command('runs')
    .description('list the runs in the run store, newest first')
    .option('--store <file-or-url>', 'run store (default .volley/history.db, or $VOLLEY_STORE)')
    .option('--test <script>', 'only runs of this script')
    .option('--branch <branch>', 'only runs from this git branch')
    .option('--label <KEY=VALUE>', 'only runs with this label (repeatable)', keyValue('--label'))
    .option('-n, --limit <n>', 'at most n runs', intArg('--limit', 1), 50)
    .option('--json', 'print JSON')
    .action(async (o: { store?: string; test?: string; branch?: string; label?: Record<string, string>; limit: number; json?: boolean }) => {
      const { runsCommand } = await import('./history-commands.js');
      exit.code = await runsCommand(o);
    });

  program
    .command('compare')
    .description('compare two runs: regressed, improved or no significant change, per metric and per route')
    .argument('[runs...]', 'BASELINE CANDIDATE, or one CANDIDATE with --baseline: run ids, latest, or summary files (Volley or k6 --summary-export)')
    .option('--baseline <run>', 'the baseline: a run id, latest, a branch (its latest passing run) or a summary file')
    .option('--store <file-or-url>', 'run store (default .volley/history.db, or $VOLLEY_STORE)')
    .option('--max-regression <budget>', "exit 98 on a significant regression beyond a budget, e.g. 'http_req_duration:p(95)=+10%' (repeatable)", collect)
    .option('--markdown <file>', 'also write the comparison as Markdown (and append it to $GITHUB_STEP_SUMMARY when set)')
    .option('--json <file>', 'also write the comparison as JSON')
    .action(async (runs: string[], o: { baseline?: string; store?: string; maxRegression?: string[]; markdown?: string; json?: string }) => {
      const { compareCommand } = await import('./history-commands.js');
      exit.code = await compareCommand(runs, o);
    });

  program
    .command('trend')
    .description('chart a metric across the stored runs of a test, with level shifts marked')
    .argument('<script>', 'the test script whose runs to chart')
    .option('--metric <stat>', 'statistic to chart', 'http_req_duration:p(95)')
    .option('-o, --output <file>', 'write an HTML chart and table')
    .option('--store <file-or-url>', 'run store (default .volley/history.db, or $VOLLEY_STORE)')
    .option('--branch <branch>', 'only runs from this git branch')
    .option('--label <KEY=VALUE>', 'only runs with this label (repeatable)', keyValue('--label'))
    .option('-n, --limit <n>', 'the latest n runs', intArg('--limit', 2), 200)
    .action(async (script: string, o: { metric: string; output?: string; store?: string; branch?: string; label?: Record<string, string>; limit: number }) => {
      const { trendCommand } = await import('./history-commands.js');
      exit.code = await trendCommand(script, o);
    });

  const sqlCmd = program.command('sql').description('PostgreSQL helpers for volley/sql (pgbench workloads)');
  sqlCmd
    .command('init')
    .description("create and fill pgbench's tables (as pgbench -i -s N), skipped when they already have that scale")
    .argument('[url]', 'connection string, postgres://USER:PASSWORD@HOST:PORT/DB (default $DATABASE_URL)')
    .option('-s, --scale <n>', 'scale factor: 100,000 accounts, 10 tellers, 1 branch per unit', intArg('--scale', 1), 1)
    .option('--force', 'drop and recreate the tables even when they already have that scale')
    .action(async (url: string | undefined, o: { scale: number; force?: boolean }) => {
      const { sqlInitCommand } = await import('./sql-command.js');
      exit.code = await sqlInitCommand(url, o);
    });

  program
    .command('demo')
    .description('start the built-in target and run examples/demo.ts against it')
    .option('-d, --duration <duration>', 'how long to run the demo', '20s')
    .action(async (o: { duration: string }) => {
      const { demoCommand } = await import('./demo-command.js');
      exit.code = await demoCommand(o);
    });

  program
    .command('llm-bench')
    .description('benchmark an OpenAI-compatible (or Anthropic) LLM endpoint: TTFT, ITL, TPOT, tokens/s per step of a load profile, goodput against SLOs, a sweep for the highest rate meeting them (docs/llm.md)')
    .requiredOption('--base-url <url>', 'the API up to /v1, e.g. http://127.0.0.1:8000/v1')
    .option('--model <name>', 'model to ask for (default: the server\'s)')
    .option('--endpoint <kind>', 'chat, completions or messages', 'chat')
    .option('--dialect <name>', 'openai or anthropic (anthropic: the messages API)', 'openai')
    .option('--api-key <key>', 'sent as Authorization: Bearer (or x-api-key); env LLM_API_KEY')
    .option('--dataset <file>', 'prompts: .jsonl, .json or .csv rows with a prompt (or messages) field, optional max_tokens')
    .option('--input-tokens <mean[,stddev]>', 'synthetic prompts (without --dataset): input length in tokens', '128')
    .option('--num-prompts <n>', 'synthetic prompts to make', '1000')
    .option('--output-tokens <n>', 'max_tokens per request (a dataset row\'s max_tokens wins)', '128')
    .option('--profile <name>', 'synchronous, concurrent, throughput, constant or poisson', 'constant')
    .option('--rates <list>', 'constant/poisson: requests per second per step, e.g. 1,2,4,8')
    .option('--concurrency <list>', 'concurrent: streams per step, e.g. 1,8,32')
    .option('--max-concurrency <n>', 'throughput: streams; rate profiles: in-flight requests past which a step is over-saturated', '256')
    .option('--duration <d>', 'length of each step', '30s')
    .option('--max-requests <n>', 'stop sending after n requests per step (0: no cap)', '0')
    .option('--timeout <d>', 'whole-request timeout', '120s')
    .option('--goodput <slo>', "an SLO, repeatable: METRIC:STAT<LIMIT with ttft, tpot, itl, e2el, e.g. 'ttft:p(95)<2s'", collect)
    .option('--max-error-rate <r>', 'a step with more failed requests than this fraction misses its SLOs', '0.01')
    .option('--sweep', 'search for the highest rate (or concurrency) that meets every --goodput SLO')
    .option('--seed <n>', 'seed of Poisson arrivals and synthetic prompts', '1')
    .option('--json <file>', "write the result (vLLM bench serve field names) to a file, '-' for stdout")
    .option('--report <file>', 'write an HTML report with throughput-latency curves and the goodput knee')
    .action(async (o: import('../llmbench/command.js').LlmBenchFlags) => {
      const { llmBenchCommand } = await import('../llmbench/command.js');
      exit.code = await llmBenchCommand(o);
    });

  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`volley ${VERSION} (node ${process.version}, ${process.platform}/${process.arch})\n`);
    });

  return program;
}

/** CLI entry: parses argv (without node and script), runs the command, returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(exit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // Every other parse error is a misused command line (a missing required option or option
      // value, an extra argument...): invalid configuration, as an unknown flag is.
      return ExitCode.InvalidConfig;
    }
    return reportError(e instanceof VolleyError || (e as { volleyError?: boolean })?.volleyError ? e : e);
  }
}
