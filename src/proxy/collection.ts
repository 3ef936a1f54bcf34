import { parseHttpFault } from './http-faults.js';
import { Proxy, type ProxySpec } from './proxy.js';
import { ApiError } from './toxics.js';

/** All proxies of one `volley proxy` process (Toxiproxy's ProxyCollection). */
export class ProxyCollection {
  readonly proxies = new Map<string, Proxy>();

  constructor(private readonly random: () => number = Math.random) {}

  get(name: string): Proxy {
    const p = this.proxies.get(name);
    if (!p) throw new ApiError('proxy not found', 404);
    return p;
  }

  /** Creates and (if enabled, the default) starts a proxy. */
  async add(spec: ProxySpec): Promise<Proxy> {
    if (typeof spec.name !== 'string' || spec.name === '') throw new ApiError('missing required field: name', 400);
    if (typeof spec.upstream !== 'string' || spec.upstream === '') throw new ApiError('missing required field: upstream', 400);
    if (this.proxies.has(spec.name)) throw new ApiError('proxy already exists', 409);
    const p = new Proxy({ ...spec, listen: typeof spec.listen === 'string' && spec.listen !== '' ? spec.listen : '127.0.0.1:0' }, this.random);
    if (spec.enabled !== false) await p.start();
    this.proxies.set(spec.name, p);
    return p;
  }

  async remove(name: string): Promise<void> {
    const p = this.get(name);
    this.proxies.delete(name);
    await p.destroy();
  }

  /**
   * `POST /populate`: creates the proxies given, replacing a same-named one whose listen or upstream
   * differs; stops at the first error (returned with the proxies done so far, as Toxiproxy does).
   */
  async populate(body: unknown): Promise<{ proxies: Proxy[]; error?: ApiError }> {
    if (!Array.isArray(body)) return { proxies: [], error: new ApiError('bad request body: expected a JSON array of proxies', 400) };
    const done: Proxy[] = [];
    for (const spec of body as ProxySpec[]) {
      try {
        const old = this.proxies.get(spec?.name);
        if (old && (old.upstream !== spec.upstream || (spec.listen !== undefined && spec.listen !== old.listen))) await this.remove(spec.name);
        else if (old) {
          done.push(old);
          continue;
        }
        done.push(await this.add(spec));
      } catch (e) {
        return { proxies: done, error: e instanceof ApiError ? e : new ApiError(String(e), 500) };
      }
    }
    return { proxies: done };
  }

  /** `POST /reset`: every proxy enabled, every toxic and HTTP fault removed. */
  async reset(): Promise<void> {
    for (const p of this.proxies.values()) {
      await p.start();
      p.setToxics([]);
      for (const f of [...p.faults]) p.removeFault(f.name);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.destroy()));
    this.proxies.clear();
  }

  /** Adds an HTTP fault from its object form (API, CLI). */
  addFault(proxy: string, body: unknown): Record<string, unknown> {
    const p = this.get(proxy);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('bad request body: expected a JSON object', 400);
    const { fault, problems } = parseHttpFault(body as Record<string, unknown>, 'fault', `fault${p.faults.length + 1}`);
    if (!fault) throw new ApiError(`bad request body: ${problems.join('; ')}`, 400);
    p.addFault(fault);
    return p.faultJson(fault);
  }
}
