#!/usr/bin/env node
const { main } = await import('../dist/src/cli/main.js');
const code = await main(process.argv.slice(2));
// Exit once stdout and stderr are flushed: the script's init context ran in this thread, and a
// timer or client it left open (setInterval, a database pool) must not keep Volley running.
let pending = 2;
const done = () => --pending === 0 && process.exit(code);
process.stdout.write('', done);
process.stderr.write('', done);
