// Arrival-rate accuracy: a constant-arrival-rate scenario with a no-op iteration, so that what is
// measured is the scheduler (RATE iterations per second for DURATION), not a target.
export const options = {
  scenarios: {
    arrival: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE ?? 10000),
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30s',
      preAllocatedVUs: 100,
      maxVUs: 1000,
    },
  },
};

export default async function () {}
