// Finds the benchmark's tools and installs the missing ones from their usual registries:
// wrk, nginx, python3-locust, time (GNU time) and util-linux's taskset from Debian's apt (only when
// running as root; otherwise a message says what to install), autocannon from npm (a devDependency, so
// `npm ci` already brought it; if not, `npm i --no-save`). Nothing is downloaded from anywhere else.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of executable `name` on PATH (plus the sbin folders, where nginx lives), or null. */
export function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SBIN];
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return null;
}

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 10_000, ...opts });
}

let aptUpdated = false;

/** apt-get install -y PACKAGES as root, with one `apt-get update` first if the install fails. */
function aptInstall(packages, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const attempt = () => sh('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, timeoutMs: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  log(`installing ${packages.join(' ')} with apt-get ...`);
  let r = attempt();
  if (r.status !== 0 && !aptUpdated) {
    aptUpdated = true;
    sh('apt-get', ['update'], { env, timeoutMs: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    r = attempt();
  }
  if (r.status !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed:\n${(r.stderr || r.stdout || '').slice(-2000)}`);
}

/** Apt package for each command the benchmark may need. */
const APT = { wrk: 'wrk', nginx: 'nginx', locust: 'python3-locust', time: 'time', taskset: 'util-linux' };

/** Where the GNU time binary lives on Debian (the shell builtin `time` has no -v). */
function findTime() {
  return existsSync('/usr/bin/time') ? '/usr/bin/time' : which('time');
}

function findLocust() {
  // Debian's python3-locust installs /usr/bin/locust with a #!/usr/bin/python3 shebang, so it runs with
  // the system Python even when another python3 (pyenv, venv) comes first on PATH.
  return existsSync('/usr/bin/locust') ? '/usr/bin/locust' : which('locust');
}

/**
 * Makes sure the named commands exist ('wrk', 'nginx', 'locust', 'time', 'taskset', 'autocannon').
 * `install`: whether to install missing ones (root only for apt). Returns { wrk, nginx, locust, time,
 * taskset, autocannon } paths (autocannon: its CLI .js file); throws an Error naming what is missing.
 */
export function ensureTools(needed, { repoRoot, install, log }) {
  const find = {
    wrk: () => which('wrk'),
    nginx: () => which('nginx'),
    locust: findLocust,
    time: findTime,
    taskset: () => which('taskset'),
    autocannon: () => {
      const p = join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js');
      return existsSync(p) ? p : null;
    },
  };
  const found = {};
  const missingApt = [];
  for (const name of needed) {
    found[name] = find[name]();
    if (!found[name] && APT[name]) missingApt.push(name);
  }
  if (missingApt.length > 0) {
    const pkgs = missingApt.map((n) => APT[n]);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!install || !isRoot) {
      throw new Error(
        `missing: ${missingApt.join(', ')}. Install with: ${isRoot ? '' : 'sudo '}apt-get install -y ${pkgs.join(' ')}` +
          (install ? ' (not running as root, so the benchmark does not install them itself)' : ''),
      );
    }
    aptInstall(pkgs, log);
    for (const name of missingApt) {
      found[name] = find[name]();
      if (!found[name]) throw new Error(`${name} is still missing after apt-get install ${APT[name]}`);
    }
  }
  if (needed.includes('autocannon') && !found.autocannon) {
    if (!install) throw new Error('autocannon is missing: run `npm ci` (it is a devDependency)');
    const range = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).devDependencies?.autocannon ?? 'latest';
    log(`autocannon is not in node_modules: npm i --no-save autocannon@${range} ...`);
    const r = sh('npm', ['i', '--no-save', `autocannon@${range}`], { cwd: repoRoot, timeoutMs: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    found.autocannon = find.autocannon();
    if (r.status !== 0 || !found.autocannon) throw new Error(`npm i autocannon failed:\n${(r.stderr || '').slice(-2000)}`);
  }
  return found;
}

/** Version strings of the tools, for the report ('?' when a tool does not say). */
export function toolVersions(tools, repoRoot) {
  const v = {};
  const first = (s) => (s || '').split('\n').find((l) => l.trim()) ?? '?';
  if (tools.wrk) v.wrk = first(sh(tools.wrk, ['-v']).stdout).replace(/\s+Copyright.*$/, '').trim();
  if (tools.nginx) v.nginx = first(sh(tools.nginx, ['-v']).stderr).replace(/^nginx version:\s*/, '').trim();
  if (tools.autocannon) {
    try {
      v.autocannon = `autocannon ${JSON.parse(readFileSync(join(tools.autocannon, '..', 'package.json'), 'utf8')).version}`;
    } catch {
      v.autocannon = 'autocannon ?';
    }
  }
  if (tools.locust) {
    // Debian's build reports an empty __version__, so ask dpkg first.
    const d = sh('dpkg-query', ['-W', '-f=${Version}', 'python3-locust']);
    v.locust = d.status === 0 && d.stdout ? `locust ${d.stdout} (Debian python3-locust)` : first(sh(tools.locust, ['--version']).stdout);
  }
  v.node = `node ${process.version}`;
  const g = sh('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot });
  const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot });
  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  v.volley = `volley ${version}` + (g.status === 0 ? ` @ ${g.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted changes' : ''}` : '');
  return v;
}

/** CPU model (lscpu "Model name"), CPU count and kernel, for the report. */
export function machineInfo() {
  const l = sh('lscpu', []);
  const model = /Model name:\s*(.+)/.exec(l.stdout ?? '')?.[1]?.trim() ?? '?';
  const cpus = Number(sh('nproc', []).stdout.trim()) || null;
  const kernel = sh('uname', ['-r']).stdout.trim();
  return { model, cpus, kernel };
}
