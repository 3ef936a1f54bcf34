// Plan 000 "LLM Experimentation & Attribution Platform", §3.4 API Performance Testing: "benchmark
// REST/GraphQL endpoints for throughput and latency", against §2's KPIs (API p95 < 500 ms, error
// rate < 0.1 %). The GraphQL half (the REST half: 003-2-api-endpoints): an open-model rate of
// queries and mutations through http.graphql, each operation its own route (its operation name),
// and GraphQL `errors` inside a 200 counted as failures (error_code 1710), as a GraphQL client sees them.
// Full scale (SCALE=1): 200 operations/s for 10 minutes.
//   npx volley run examples/seeds/000-3.4-graphql.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

const GRAPHQL = `${BASE}/graphql`;

export const options: Options = {
  scenarios: {
    graphql: { executor: 'constant-arrival-rate', rate: count(200, 5), timeUnit: '1s', duration: dur(600), preAllocatedVUs: count(50, 2), maxVUs: count(200, 10) },
  },
  thresholds: {
    http_req_duration: ['p(95)<500'],
    'http_req_duration{name:GetUser}': ['p(95)<500'],
    http_req_failed: ['rate<0.001'],
    checks: ['rate>0.999'],
  },
};

const GET_USER = 'query GetUser($id: ID!) { user(id: $id) { id name email } }';
const LIST_USERS = 'query ListUsers($first: Int) { users(first: $first) { id name } }';
const CREATE_USER = 'mutation CreateUser($name: String!) { createUser(name: $name) { id name } }';

export default async function () {
  const u = Math.random();
  if (u < 0.7) {
    const id = 1 + Math.floor(Math.random() * 1000);
    const r = await http.graphql(GRAPHQL, GET_USER, { id });
    check(r, { 'user found': (x) => x.json('data.user.id') === String(id) });
  } else if (u < 0.9) {
    const r = await http.graphql(GRAPHQL, LIST_USERS, { first: 20 });
    check(r, { '20 users': (x) => x.json('data.users.#') === 20 });
  } else {
    const r = await http.graphql(GRAPHQL, CREATE_USER, { name: `user ${__VU}-${__ITER}` });
    check(r, { created: (x) => typeof x.json('data.createUser.id') === 'string' });
  }
}
