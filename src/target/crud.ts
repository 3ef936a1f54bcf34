import type { CrudConfig } from './config.js';
import type { TargetResponse, Handler } from './context.js';
import { sendError, sendJson } from './respond.js';

/**
 * kind: crud — an in-memory resource (create/read/update/delete/list with ids), so workflow tests can
 * create something and use its id. One store per crud route, shared by its expanded routes:
 *
 *   GET    /path        list: { items, total, limit, offset } (?limit= default 100, max 1000; ?offset=)
 *   POST   /path        create from a JSON object → 201 + Location; id generated unless given (409 if taken)
 *   GET    /path/:id    read → 200 | 404
 *   PUT    /path/:id    replace (id and createdAt kept) → 200 | 404
 *   PATCH  /path/:id    shallow merge → 200 | 404
 *   DELETE /path/:id    → 204 | 404
 *
 * Items get `id`, `createdAt` and `updatedAt` (ISO strings). Store size is capped (507 beyond).
 */
export type Item = Record<string, unknown> & { id: string };

/** The items of one crud route and the handlers of its expanded routes. */
export class CrudStore {
  readonly items = new Map<string, Item>();
  private nextId = 1;

  constructor(
    readonly basePath: string,
    private readonly cfg: CrudConfig,
  ) {
    this.reset();
  }

  /** Back to the seed items. */
  reset(): void {
    this.items.clear();
    this.nextId = 1;
    const now = new Date().toISOString();
    for (const s of this.cfg.seed) {
      const id = typeof s['id'] === 'string' || typeof s['id'] === 'number' ? String(s['id']) : this.newId();
      this.items.set(id, { createdAt: now, updatedAt: now, ...s, id });
    }
  }

  private newId(): string {
    let id: string;
    do id = `${this.cfg.idPrefix}${this.nextId++}`;
    while (this.items.has(id));
    return id;
  }

  get maxItems(): number {
    return this.cfg.maxItems;
  }

  /** The handlers of the expanded routes. */
  handlers(): Record<'list' | 'create' | 'read' | 'replace' | 'patch' | 'delete', Handler> {
    return {
      list: { respond: (res) => this.list(res) },
      create: { respond: (res) => this.create(res) },
      read: { respond: (res) => this.read(res) },
      replace: { respond: (res) => this.update(res, false) },
      patch: { respond: (res) => this.update(res, true) },
      delete: { respond: (res) => this.remove(res) },
    };
  }

  private list(res: TargetResponse): void {
    const limit = clampInt(res.queryParam('limit'), 100, 0, 1000);
    const offset = clampInt(res.queryParam('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    const items: Item[] = [];
    let i = 0;
    for (const item of this.items.values()) {
      if (i >= offset + limit) break;
      if (i >= offset) items.push(item);
      i++;
    }
    sendJson(res, 200, { items, total: this.items.size, limit, offset });
  }

  private create(res: TargetResponse): void {
    const body = objectBody(res);
    if (body === undefined) return;
    if (this.items.size >= this.cfg.maxItems) return sendError(res, 507, `store full (crud.maxItems = ${this.cfg.maxItems})`, undefined, 'store_full');
    const given = body['id'];
    if (given !== undefined && typeof given !== 'string' && typeof given !== 'number') return sendError(res, 400, 'id must be a string or a number', undefined, 'invalid_id');
    const id = given === undefined ? this.newId() : String(given);
    if (this.items.has(id)) return sendError(res, 409, `an item with id ${id} already exists`, undefined, 'conflict');
    const now = new Date().toISOString();
    const item: Item = { ...body, id, createdAt: now, updatedAt: now };
    this.items.set(id, item);
    sendJson(res, 201, item, { location: `${this.basePath}/${encodeURIComponent(id)}` });
  }

  private read(res: TargetResponse): void {
    const item = this.find(res);
    if (item) sendJson(res, 200, item);
  }

  private update(res: TargetResponse, merge: boolean): void {
    const item = this.find(res);
    if (!item) return;
    const body = objectBody(res);
    if (body === undefined) return;
    const next: Item = merge
      ? { ...item, ...body, id: item.id, createdAt: item['createdAt'], updatedAt: new Date().toISOString() }
      : { ...body, id: item.id, createdAt: item['createdAt'], updatedAt: new Date().toISOString() };
    this.items.set(item.id, next);
    sendJson(res, 200, next);
  }

  private remove(res: TargetResponse): void {
    const item = this.find(res);
    if (!item) return;
    this.items.delete(item.id);
    sendJson(res, 204, null);
  }

  private find(res: TargetResponse): Item | undefined {
    const id = res.params?.['id'] ?? '';
    const item = this.items.get(id);
    if (!item) sendError(res, 404, `no item with id ${id} in ${this.basePath}`, undefined, 'not_found');
    return item;
  }
}

/** The JSON body as an object, or undefined after answering 400. */
function objectBody(res: TargetResponse): Record<string, unknown> | undefined {
  const b = res.jsonBody;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    sendError(res, 400, 'expected a JSON object body', undefined, 'invalid_body');
    return undefined;
  }
  return b as Record<string, unknown>;
}

function clampInt(s: string, dflt: number, min: number, max: number): number {
  if (s === '') return dflt;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : dflt;
}
