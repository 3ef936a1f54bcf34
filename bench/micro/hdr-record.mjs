#!/usr/bin/env node
// Recording one trend value: hdr-histogram-js recordValue (floor(log2), pow) against recordMs's
// clz32/shift index. Usage: node bench/micro/hdr-record.mjs   (build first: npx tsc -p .)
import { newHistogram, recordMs } from '../../dist/src/metrics/hdr.js';
import { bench } from './bench-util.mjs';

const values = Float64Array.from({ length: 4096 }, (_, i) => (i % 7 === 0 ? 0 : 0.05 + (i % 97) * 0.37));
const a = newHistogram();
const b = newHistogram();
bench('library recordValue(Math.round(ms * 1000))', 1e7, (i) => a.recordValue(Math.round(values[i & 4095] * 1000)));
bench('recordMs (clz32 index)', 1e7, (i) => recordMs(b, values[i & 4095]));
