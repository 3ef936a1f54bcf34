// Plan 001 "Performance & Load Testing Plan", §3 Test Environments & Data: "Synthetic data: 100 orgs
// × 20 users × 200 recordings (mixed durations)" and "Data loader: scripts/seed-perf.ts --orgs 100
// --users 20 --recordings 200 (idempotent)".
// The loader as a Volley script: each iteration loads one org (its users and their recordings)
// with @faker-js/faker, seeded by the org's number, so any VU on any worker thread generates the
// same org without a shared copy of the data set; `db.seed` inserts only the rows not there yet
// (ON CONFLICT DO NOTHING). Every org is loaded twice, concurrently, and the counts must still be
// exact: the loader is idempotent. Loading time per batch is a metric like any other.
// Full scale (SCALE=1): 100 orgs, 2,000 users, 400,000 recordings.
//   npx volley run examples/seeds/001-3-synthetic-data.ts -e DATABASE_URL=postgres://USER@HOST:5432/DB -e SCALE=0.1
//   (flags as the plan's loader: -e ORGS=100 -e USERS=20 -e RECORDINGS=200 override the scaled sizes)
// seed-needs: postgres
import { faker } from '@faker-js/faker';
import sql from 'volley/sql';
import exec from 'volley/execution';
import { check } from 'volley';
import type { Options } from 'volley';
import { count } from './lib/scale.js';

const orgs = Number(__ENV.ORGS ?? count(100));
const usersPerOrg = Number(__ENV.USERS ?? 20);
const recordingsPerUser = Number(__ENV.RECORDINGS ?? 200);
const db = sql.open(__ENV.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', { max: 4 });

export const options: Options = {
  scenarios: {
    // 2 × orgs iterations: every org loaded twice (by different VUs, at the same time).
    load: { executor: 'shared-iterations', vus: Math.min(4, 2 * orgs), iterations: 2 * orgs, maxDuration: '30m' },
  },
  thresholds: {
    checks: ['rate==1'],
    sql_query_failed: ['rate==0'],
    'sql_query_duration{name:seed recordings}': ['p(95)<5000'],
  },
};

export async function setup() {
  await db.exec('CREATE TABLE IF NOT EXISTS orgs (id text PRIMARY KEY, name text NOT NULL, plan text NOT NULL)');
  await db.exec('CREATE TABLE IF NOT EXISTS users (id text PRIMARY KEY, org_id text NOT NULL REFERENCES orgs, name text NOT NULL, email text NOT NULL)');
  await db.exec(`CREATE TABLE IF NOT EXISTS recordings (id text PRIMARY KEY, org_id text NOT NULL REFERENCES orgs, user_id text NOT NULL REFERENCES users,
    title text NOT NULL, duration_s int NOT NULL, created_at timestamptz NOT NULL)`);
}

/** Org `o`, its users and their recordings: the same values wherever and however often it runs. */
function org(o: number) {
  faker.seed(1000 + o);
  const orgId = `org-${o}`;
  const users = Array.from({ length: usersPerOrg }, (_, u) => {
    const name = faker.person.fullName();
    return { id: `${orgId}-u${u}`, org_id: orgId, name, email: faker.internet.email({ firstName: name.split(' ')[0], provider: 'example.test' }) };
  });
  const recordings = users.flatMap((user) =>
    Array.from({ length: recordingsPerUser }, (_, r) => ({
      id: `${user.id}-r${r}`,
      org_id: orgId,
      user_id: user.id,
      title: faker.company.catchPhrase(),
      // Mixed durations: mostly short calls, some hour-long meetings.
      duration_s: faker.helpers.weightedArrayElement([
        { weight: 6, value: faker.number.int({ min: 60, max: 900 }) },
        { weight: 3, value: faker.number.int({ min: 900, max: 2700 }) },
        { weight: 1, value: faker.number.int({ min: 2700, max: 7200 }) },
      ]),
      created_at: faker.date.past({ years: 1, refDate: '2026-01-01' }).toISOString(),
    })),
  );
  return { org: { id: orgId, name: faker.company.name(), plan: faker.helpers.arrayElement(['free', 'team', 'enterprise']) }, users, recordings };
}

export default async function () {
  const o = exec.scenario.iterationInTest % orgs;
  const data = org(o);
  await db.seed('orgs', [data.org]);
  await db.seed('users', data.users);
  await db.seed('recordings', data.recordings);
}

export async function teardown() {
  const n = async (t: string) => Number((await db.query(`SELECT count(*) AS n FROM ${t}`, undefined, { tags: { name: `count ${t}` } })).rows[0]!.n);
  const counts = { orgs: await n('orgs'), users: await n('users'), recordings: await n('recordings') };
  console.log(`loaded ${counts.orgs} orgs, ${counts.users} users, ${counts.recordings} recordings (each org loaded twice)`);
  check(counts, {
    'orgs exact after loading twice': (c) => c.orgs === orgs,
    'users exact': (c) => c.users === orgs * usersPerOrg,
    'recordings exact': (c) => c.recordings === orgs * usersPerOrg * recordingsPerUser,
  });
}
