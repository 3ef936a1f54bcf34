import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** How long to wait for a stuck worker to pause in the debugger before giving up on its location. */
const PAUSE_TIMEOUT_MS = 1500;

interface CallFrame {
  location: { scriptId: string; lineNumber: number; columnNumber: number };
}

/**
 * Where a worker thread is stuck in JavaScript that never yields: pauses it through the inspector
 * (V8 interrupts even a `for (;;) {}`) and returns the top frame in `bundleUrl`, mapped back to the
 * user's source ("file:line:column"), or undefined. The worker is resumed (a paused worker cannot
 * be terminated) and the caller terminates it. Main thread only; never throws.
 */
export async function stuckLocation(threadId: number, bundleUrl: string): Promise<string | undefined> {
  let inspector: typeof import('node:inspector');
  try {
    inspector = await import('node:inspector');
  } catch {
    return undefined; // a Node built without the inspector
  }
  const session = new inspector.Session();
  try {
    session.connect();
  } catch {
    return undefined; // another session holds it
  }
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  let timer: NodeJS.Timeout | undefined;
  let sessionId: string | undefined;
  let id = 0;
  const send = (method: string, params: object = {}): Promise<unknown> =>
    post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id: ++id, method, params }) });
  let located = false;
  try {
    return await new Promise<string | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), PAUSE_TIMEOUT_MS);
      const scripts = new Map<string, string>();
      session.on('NodeWorker.attachedToWorker', (m: { params: { sessionId: string; workerInfo: { workerId: string } } }) => {
        if (sessionId !== undefined || Number(m.params.workerInfo.workerId) !== threadId) return;
        sessionId = m.params.sessionId;
        send('Debugger.enable')
          .then(() => send('Debugger.pause'))
          .catch(() => resolve(undefined));
      });
      session.on('NodeWorker.receivedMessageFromWorker', (m: { params: { sessionId: string; message: string } }) => {
        if (m.params.sessionId !== sessionId) return;
        const msg = JSON.parse(m.params.message) as { method?: string; params?: { scriptId?: string; url?: string; callFrames?: CallFrame[] } };
        if (msg.method === 'Debugger.scriptParsed' && msg.params?.url === bundleUrl) scripts.set(msg.params.scriptId!, msg.params.url);
        else if (msg.method === 'Debugger.paused') {
          const where = userFrame(msg.params?.callFrames ?? [], scripts, bundleUrl);
          located = true;
          // A worker left paused in the debugger cannot be terminated: let it run on first.
          send('Debugger.resume').then(
            () => resolve(where),
            () => resolve(where),
          );
        }
      });
      post('NodeWorker.enable', { waitForDebuggerOnStart: false }).catch(() => resolve(undefined));
    });
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    // Gave up waiting: a pause still pending must not leave the worker paused (it could not be terminated).
    if (!located && sessionId !== undefined) await Promise.race([send('Debugger.disable').catch(() => {}), new Promise((r) => setTimeout(r, 200))]);
    session.disconnect();
  }
}

function userFrame(frames: readonly CallFrame[], scripts: Map<string, string>, bundleUrl: string): string | undefined {
  for (const f of frames) {
    if (!scripts.has(f.location.scriptId)) continue;
    const { lineNumber, columnNumber } = f.location;
    const entry = findSourceMap(fileURLToPath(bundleUrl))?.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
      const src = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
      return `${src}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    }
    return `${fileURLToPath(bundleUrl)}:${lineNumber + 1}:${columnNumber + 1}`;
  }
  return undefined;
}
