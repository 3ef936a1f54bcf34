/**
 * `volley target` in its own process for the LLM truth tests, so the client's event loop and the
 * target's do not share a thread (as in real use). Child side: started with a JSON config as argv[2],
 * sends its URL, then answers 'stats' / 'reset' / 'close' messages over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTarget, type TargetStats } from '../../../target/index.js';

export interface TargetProcess {
  url: string;
  stats(): Promise<TargetStats>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

function ask<T>(child: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

export async function startTargetProcess(config: unknown): Promise<TargetProcess> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String(m)));
    child.once('exit', (code) => reject(new Error(`target process exited with ${code}`)));
  });
  return {
    url,
    stats: () => ask<TargetStats>(child, 'stats'),
    reset: () => ask<void>(child, 'reset'),
    close: async () => {
      await ask<void>(child, 'close');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = await startTarget({ config: JSON.parse(process.argv[2]!) });
  process.on('message', (m) => {
    if (m === 'stats') process.send!(t.stats());
    else if (m === 'reset') {
      t.reset();
      process.send!('ok');
    } else if (m === 'close') {
      void t.close().then(() => {
        process.send!('ok');
        process.disconnect();
      });
    }
  });
  process.send(t.url);
}
