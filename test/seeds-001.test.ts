/** The seed examples of plan 001 (test/seed-suite.ts says how they run). */
import { seedSuite } from './seed-suite.js';

seedSuite(['001']);
