import { isOnlyKey, type BodyConfig } from './config.js';
import { compileTemplate, type Template, type TemplateSource } from './template.js';


/**
 * Response bodies compiled once per route: static bodies are serialised to a Buffer at start (the
 * per-request cost is zero); templated bodies keep static parts and concatenate values per request.
 */
export class CompiledBody {
  /**
   * Small static bodies also as a string: Node sends a string body in the same write as the head
   * (one syscall), a Buffer body as a second buffer of a writev. Large bodies stay Buffers (joining
   * a megabyte to the head would copy it per request).
   */
  readonly str: string | null;

  constructor(
    /** The bytes, when the body never changes. */
    readonly buf: Buffer | null,
    readonly template: Template | null,
    /** Escape template values for a JSON string (JSON bodies). */
    readonly jsonEscape: boolean,
    readonly contentType: string,
  ) {
    this.str = buf !== null && buf.length <= SMALL_BODY_BYTES ? buf.toString('utf8') : null;
  }

  /** The body for one request (templated bodies: a new string; static: the shared one). */
  render(src: TemplateSource): string | Buffer {
    return this.str ?? this.buf ?? this.template!.render(src, this.jsonEscape);
  }
}

/** Bodies up to this size (bytes) are also kept as strings; see CompiledBody.str. */
export const SMALL_BODY_BYTES = 16 * 1024;

/** Content-Type of JSON bodies. */
export const JSON_TYPE = 'application/json';
/** Content-Type of text bodies. */
export const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Compiles a validated body config (or a default JSON value when absent). */
export function compileBody(cfg: BodyConfig | undefined, fallback: unknown = { ok: true }): CompiledBody {
  if (cfg === undefined) return new CompiledBody(Buffer.from(JSON.stringify(fallback)), null, true, JSON_TYPE);
  if (cfg.text !== undefined) return fromTemplate(cfg.text, false, TEXT_TYPE);
  if (isOnlyKey(cfg.json, 'size')) return new CompiledBody(Buffer.from(generateJson((cfg.json as { size: number }).size)), null, true, JSON_TYPE);
  const value = isOnlyKey(cfg.json, 'value') ? (cfg.json as { value: unknown }).value : cfg.json;
  return fromTemplate(JSON.stringify(value), true, JSON_TYPE);
}

function fromTemplate(text: string, json: boolean, type: string): CompiledBody {
  const t = compileTemplate(text);
  if ('error' in t) throw new Error(`template passed validation but does not compile: ${t.error}`);
  return t.isStatic ? new CompiledBody(Buffer.from(text), null, json, type) : new CompiledBody(null, t, json, type);
}

/**
 * Deterministic JSON of exactly `bytes` bytes (ASCII, so bytes = characters), shaped like a list API
 * response: {"items":[{"id":1,"name":"item-00001","price":12.34,"tags":["a","b"]},...],"pad":"..."}.
 * Minimum 2 bytes ("{}" padded with spaces when below the smallest object).
 */
export function generateJson(bytes: number): string {
  const head = '{"items":[';
  const tail = '],"pad":""}';
  if (bytes < head.length + tail.length) return '{}'.padEnd(Math.max(2, bytes), ' ');
  let items = '';
  for (let i = 1; ; i++) {
    const item = `${i > 1 ? ',' : ''}{"id":${i},"name":"item-${String(i).padStart(5, '0')}","price":${((i * 7919) % 10000) / 100},"tags":["t${i % 7}","t${i % 5}"]}`;
    if (head.length + items.length + item.length + tail.length > bytes) break;
    items += item;
  }
  const pad = bytes - head.length - items.length - tail.length;
  return `${head}${items}],"pad":"${'x'.repeat(pad)}"}`;
}
