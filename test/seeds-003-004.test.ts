/** The seed examples of plans 003 and 004 (test/seed-suite.ts says how they run). */
import { seedSuite } from './seed-suite.js';

seedSuite(['003', '004']);
