/**
 * `volley/html`: k6/html's `parseHTML` and its jQuery-like `Selection`, on cheerio (parse5, an
 * HTML5-conformant parser, like Go's x/net/html under k6's goquery).
 *
 * cheerio is loaded on first use (it costs ~150 ms to import), so scripts that never parse HTML
 * never pay for it.
 */
import { createRequire } from 'node:module';
import type { Cheerio, CheerioAPI } from 'cheerio';
import { VolleyError, ExitCode } from '../errors/index.js';

/** The parts of a domhandler node we read (structural, so we need no domhandler import). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  parent: DomNode | null;
  prev: DomNode | null;
  next: DomNode | null;
  namespace?: string;
}
// cheerio's element type parameter; we only ever hold nodes it produced.
type AnyCheerio = Cheerio<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let loadFn: ((html: string) => CheerioAPI) | undefined;
function cheerioLoad(html: string): CheerioAPI {
  if (loadFn === undefined) {
    const require = createRequire(import.meta.url);
    loadFn = (require('cheerio') as { load: (h: string) => CheerioAPI }).load;
  }
  return loadFn(html);
}

/** Parses an HTML document (k6 `parseHTML`). The result is a Selection of the document. */
export function parseHTML(html: string): Selection {
  if (typeof html !== 'string') {
    throw new VolleyError('E_HTML_INPUT', `parseHTML expects a string, got ${html === null ? 'null' : typeof html}`, {
      hint: "for a response, use res.html() or parseHTML(res.body as string) with responseType 'text'",
      exitCode: ExitCode.ScriptException,
    });
  }
  const $ = cheerioLoad(html);
  return new Selection($, $.root() as AnyCheerio);
}

type SelectorArg = string | Selection | Element;
type Matcher = string | Selection | ((index: number, sel: Selection) => boolean);

/**
 * A set of matched nodes, k6/html's Selection (itself modelled on jQuery/goquery). Every method
 * that narrows or moves returns a new Selection; the receiver is never changed.
 */
export class Selection {
  /** @internal */
  constructor(
    /** @internal */ readonly $: CheerioAPI,
    /** @internal */ readonly sel: AnyCheerio,
  ) {}

  private wrap(c: AnyCheerio): Selection {
    return new Selection(this.$, c);
  }

  private arg(a: SelectorArg): string | AnyCheerio | DomNode {
    if (a instanceof Selection) return a.sel;
    if (a instanceof Element) return a.node;
    if (typeof a === 'string') return a;
    throw new VolleyError('E_HTML_SELECTOR', `invalid argument: cannot use a ${typeof a} as a selector`, { exitCode: ExitCode.ScriptException });
  }

  private matcher(m: Matcher): string | AnyCheerio | ((i: number, el: DomNode) => boolean) {
    if (typeof m === 'function') return (i: number, el: DomNode) => !!m(i, this.wrap(this.$(el as never)));
    return this.arg(m) as string | AnyCheerio;
  }

  /** Number of matched nodes. */
  get length(): number {
    return this.sel.length;
  }
  /** Number of matched nodes (k6 `size()`). */
  size(): number {
    return this.sel.length;
  }

  // --- traversal ---
  find(selector: SelectorArg): Selection {
    return this.wrap(this.sel.find(this.arg(selector) as never));
  }
  children(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.children() : this.sel.children(selector));
  }
  contents(): Selection {
    return this.wrap(this.sel.contents());
  }
  parent(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.parent() : this.sel.parent(selector));
  }
  parents(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.parents() : this.sel.parents(selector));
  }
  parentsUntil(selector?: SelectorArg | null, filter?: string): Selection {
    return this.wrap(this.sel.parentsUntil((selector == null ? undefined : this.arg(selector)) as never, filter));
  }
  closest(selector: SelectorArg): Selection {
    return this.wrap(this.sel.closest(this.arg(selector) as never));
  }
  next(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.next() : this.sel.next(selector));
  }
  nextAll(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.nextAll() : this.sel.nextAll(selector));
  }
  nextUntil(selector?: SelectorArg | null, filter?: string): Selection {
    return this.wrap(this.sel.nextUntil((selector == null ? undefined : this.arg(selector)) as never, filter));
  }
  prev(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.prev() : this.sel.prev(selector));
  }
  prevAll(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.prevAll() : this.sel.prevAll(selector));
  }
  prevUntil(selector?: SelectorArg | null, filter?: string): Selection {
    return this.wrap(this.sel.prevUntil((selector == null ? undefined : this.arg(selector)) as never, filter));
  }
  siblings(selector?: string): Selection {
    return this.wrap(selector === undefined ? this.sel.siblings() : this.sel.siblings(selector));
  }

  // --- filtering ---
  first(): Selection {
    return this.wrap(this.sel.first());
  }
  last(): Selection {
    return this.wrap(this.sel.last());
  }
  /** The node at `index` (negative counts from the end); empty when out of range. */
  eq(index: number): Selection {
    return this.wrap(this.sel.eq(index));
  }
  slice(start: number, end?: number): Selection {
    return this.wrap(this.sel.slice(start, end));
  }
  filter(m: Matcher): Selection {
    return this.wrap(this.sel.filter(this.matcher(m) as never));
  }
  not(m: Matcher): Selection {
    return this.wrap(this.sel.not(this.matcher(m) as never));
  }
  has(selector: SelectorArg): Selection {
    return this.wrap(this.sel.has(this.arg(selector) as never));
  }
  /** True when any matched node matches. */
  is(m: Matcher): boolean {
    return this.sel.is(this.matcher(m) as never);
  }
  add(selector: SelectorArg): Selection {
    return this.wrap(this.sel.add(this.arg(selector) as never));
  }
  end(): Selection {
    return this.wrap(this.sel.end());
  }

  // --- content ---
  /** Combined text of the matched nodes and their descendants. */
  text(): string {
    return this.sel.text();
  }
  /** Inner HTML of the first matched node; undefined when nothing matched. */
  html(): string | undefined {
    if (this.sel.length === 0) return undefined;
    return this.sel.html() ?? undefined;
  }
  /** Attribute of the first matched node, or `defaultValue` (undefined) when absent. */
  attr(name: string, defaultValue?: string): string | undefined {
    const v = this.sel.attr(name);
    return v === undefined ? defaultValue : v;
  }
  /** Form value of the first matched input/select/textarea/option/button (k6 `val()`). */
  val(): string | string[] | undefined {
    if (this.sel.length === 0) return undefined;
    const node = this.sel.get(0) as DomNode;
    switch (node.name) {
      case 'input':
      case 'button':
        return node.attribs?.value;
      case 'textarea':
        return this.sel.first().html() ?? '';
      case 'option':
        return optionValue(this.$, this.sel.first());
      case 'select': {
        const selected = this.sel.first().find('option[selected]');
        if (node.attribs && 'multiple' in node.attribs) return selected.toArray().map((o) => optionValue(this.$, this.$(o)));
        return selected.length ? optionValue(this.$, selected.first()) : '';
      }
      default:
        return undefined;
    }
  }
  /**
   * `data-*` attributes of the first node: data('userId') reads data-user-id; no argument returns
   * them all. Values are converted like jQuery/k6 (numbers, booleans, JSON).
   */
  data(key?: string): unknown {
    if (this.sel.length === 0) return undefined;
    return key === undefined ? this.sel.first().data() : this.sel.first().data(key);
  }

  // --- iteration ---
  /** Calls fn(index, element) for each node (k6 passes an Element, not a Selection). */
  each(fn: (index: number, element: Element) => void): Selection {
    if (typeof fn !== 'function') throw new VolleyError('E_HTML_ARG', 'argument to each() must be a function', { exitCode: ExitCode.ScriptException });
    const nodes = this.sel.toArray() as DomNode[];
    for (let i = 0; i < nodes.length; i++) fn(i, new Element(this.$, nodes[i]!));
    return this;
  }
  /** fn(index, selection) for each node; returns the results (k6 returns strings). */
  map<T>(fn: (index: number, sel: Selection) => T): T[] {
    if (typeof fn !== 'function') throw new VolleyError('E_HTML_ARG', 'argument to map() must be a function', { exitCode: ExitCode.ScriptException });
    const nodes = this.sel.toArray();
    const out: T[] = [];
    for (let i = 0; i < nodes.length; i++) out.push(fn(i, this.wrap(this.$(nodes[i]))));
    return out;
  }
  /** The Element at index (negative from the end), or all Elements without an argument. */
  get(): Element[];
  get(index: number): Element | undefined;
  get(index?: number): Element | Element[] | undefined {
    const nodes = this.sel.toArray() as DomNode[];
    if (index === undefined) return nodes.map((n) => new Element(this.$, n));
    const i = index < 0 ? nodes.length + index : index;
    const n = nodes[i];
    return n === undefined ? undefined : new Element(this.$, n);
  }
  /** Each node as its own Selection. */
  toArray(): Selection[] {
    return this.sel.toArray().map((n) => this.wrap(this.$(n)));
  }
  /** Position of the first node among its siblings, or of `selector` within this set. */
  index(selector?: SelectorArg): number {
    if (selector === undefined) return this.sel.index();
    return this.sel.index(this.arg(selector) as never);
  }

  // --- forms ---
  /** URL-encoded form data of the matched forms/controls (k6 `serialize()`). */
  serialize(): string {
    return this.sel.serialize();
  }
  /** [{ name, value }] of the matched forms/controls. */
  serializeArray(): { name: string; value: string }[] {
    return this.sel.serializeArray();
  }
  /** { name: value } (repeated names: array of values). */
  serializeObject(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const { name, value } of this.sel.serializeArray()) {
      const prev = out[name];
      if (prev === undefined) out[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else out[name] = [prev, value];
    }
    return out;
  }
}

function optionValue($: CheerioAPI, opt: AnyCheerio): string {
  const v = opt.attr('value');
  return v !== undefined ? v : (opt.html() ?? '');
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const COMMENT_NODE = 8;
const DOCUMENT_NODE = 9;

function isElementNode(n: DomNode | null | undefined): boolean {
  return !!n && (n.type === 'tag' || n.type === 'script' || n.type === 'style');
}

/** An attribute of an Element (k6 `Attribute`). */
export interface Attribute {
  name: string;
  value: string;
  localName: string;
  prefix: string;
  namespaceURI: string;
}

/**
 * One DOM node, k6/html's Element: the DOM-style read API (nodeName, textContent, getAttribute,
 * querySelector, …), plus attribute shortcuts for common element kinds (href(), value(), …).
 */
export class Element {
  /** @internal */
  constructor(
    /** @internal */ readonly $: CheerioAPI,
    /** @internal */ readonly node: DomNode,
  ) {}

  private wrapNode(n: DomNode | null | undefined): Element | undefined {
    return n ? new Element(this.$, n) : undefined;
  }

  /** This element as a Selection. */
  selection(): Selection {
    return new Selection(this.$, this.$(this.node as never) as AnyCheerio);
  }
  nodeName(): string {
    const n = this.node;
    if (isElementNode(n)) return (n.name ?? '').toUpperCase();
    if (n.type === 'text') return '#text';
    if (n.type === 'comment') return '#comment';
    if (n.type === 'root') return '#document';
    return n.type;
  }
  nodeType(): number {
    const n = this.node;
    if (isElementNode(n)) return ELEMENT_NODE;
    if (n.type === 'text') return TEXT_NODE;
    if (n.type === 'comment') return COMMENT_NODE;
    if (n.type === 'root') return DOCUMENT_NODE;
    return 0;
  }
  nodeValue(): string | undefined {
    return this.node.type === 'text' || this.node.type === 'comment' ? this.node.data : undefined;
  }
  id(): string {
    return this.node.attribs?.id ?? '';
  }
  className(): string | undefined {
    return this.node.attribs?.class;
  }
  classList(): string[] {
    return (this.node.attribs?.class ?? '').split(/\s+/).filter(Boolean);
  }
  lang(): string | undefined {
    return this.node.attribs?.lang;
  }
  textContent(): string {
    return this.$(this.node as never).text();
  }
  innerHTML(): string {
    return this.$(this.node as never).html() ?? '';
  }
  /** Outer HTML. */
  toString(): string {
    return this.$.html(this.node as never);
  }
  getAttribute(name: string): string | undefined {
    return this.node.attribs?.[name];
  }
  hasAttribute(name: string): boolean {
    return !!this.node.attribs && name in this.node.attribs;
  }
  hasAttributes(): boolean {
    return !!this.node.attribs && Object.keys(this.node.attribs).length > 0;
  }
  /** name → Attribute. */
  attributes(): Record<string, Attribute> {
    const out: Record<string, Attribute> = {};
    for (const [name, value] of Object.entries(this.node.attribs ?? {})) {
      const colon = name.indexOf(':');
      out[name] = { name, value, localName: colon >= 0 ? name.slice(colon + 1) : name, prefix: colon >= 0 ? name.slice(0, colon) : '', namespaceURI: '' };
    }
    return out;
  }
  hasChildNodes(): boolean {
    return (this.node.children?.length ?? 0) > 0;
  }
  childNodes(): Element[] {
    return (this.node.children ?? []).map((c) => new Element(this.$, c));
  }
  children(): Element[] {
    return (this.node.children ?? []).filter(isElementNode).map((c) => new Element(this.$, c));
  }
  childElementCount(): number {
    return (this.node.children ?? []).filter(isElementNode).length;
  }
  firstChild(): Element | undefined {
    return this.wrapNode(this.node.children?.[0]);
  }
  lastChild(): Element | undefined {
    const c = this.node.children;
    return this.wrapNode(c?.[c.length - 1]);
  }
  firstElementChild(): Element | undefined {
    return this.wrapNode((this.node.children ?? []).find(isElementNode));
  }
  lastElementChild(): Element | undefined {
    const els = (this.node.children ?? []).filter(isElementNode);
    return this.wrapNode(els[els.length - 1]);
  }
  previousSibling(): Element | undefined {
    return this.wrapNode(this.node.prev);
  }
  nextSibling(): Element | undefined {
    return this.wrapNode(this.node.next);
  }
  previousElementSibling(): Element | undefined {
    let n = this.node.prev;
    while (n && !isElementNode(n)) n = n.prev;
    return this.wrapNode(n);
  }
  nextElementSibling(): Element | undefined {
    let n = this.node.next;
    while (n && !isElementNode(n)) n = n.next;
    return this.wrapNode(n);
  }
  parentNode(): Element | undefined {
    return this.wrapNode(this.node.parent);
  }
  parentElement(): Element | undefined {
    return isElementNode(this.node.parent) ? this.wrapNode(this.node.parent) : undefined;
  }
  ownerDocument(): Element | undefined {
    let n: DomNode = this.node;
    while (n.parent) n = n.parent;
    return n.type === 'root' ? this.wrapNode(n) : undefined;
  }
  querySelector(selector: string): Element | undefined {
    return this.wrapNode(this.$(this.node as never).find(selector).get(0) as DomNode | undefined);
  }
  querySelectorAll(selector: string): Element[] {
    return (this.$(this.node as never).find(selector).toArray() as DomNode[]).map((n) => new Element(this.$, n));
  }
  getElementsByTagName(tag: string): Element[] {
    return this.querySelectorAll(tag);
  }
  getElementsByClassName(names: string): Element[] {
    const sel = names.trim().split(/\s+/).filter(Boolean).map((c) => `.${c.replace(/([^\w-])/g, '\\$1')}`).join('');
    return sel ? this.querySelectorAll(sel) : [];
  }
  matches(selector: string): boolean {
    return this.$(this.node as never).is(selector);
  }
  contains(other: Element): boolean {
    let n: DomNode | null = other.node;
    while (n) {
      if (n === this.node) return true;
      n = n.parent;
    }
    return false;
  }
  isSameNode(other: Element): boolean {
    return other instanceof Element && other.node === this.node;
  }
  isEqualNode(other: Element): boolean {
    return other instanceof Element && this.toString() === other.toString();
  }
  namespaceURI(): string {
    return this.node.namespace ?? 'http://www.w3.org/1999/xhtml';
  }

  // Attribute shortcuts k6 generates per element kind (a, img, input, form, …).
  href(): string | undefined {
    return this.getAttribute('href');
  }
  src(): string | undefined {
    return this.getAttribute('src');
  }
  value(): string | undefined {
    return this.node.name === 'textarea' ? this.textContent() : this.getAttribute('value');
  }
  name(): string | undefined {
    return this.getAttribute('name');
  }
  type(): string | undefined {
    return this.getAttribute('type');
  }
  action(): string | undefined {
    return this.getAttribute('action');
  }
  method(): string {
    return (this.getAttribute('method') ?? 'get').toLowerCase();
  }
  alt(): string | undefined {
    return this.getAttribute('alt');
  }
  title(): string | undefined {
    return this.getAttribute('title');
  }
  target(): string | undefined {
    return this.getAttribute('target');
  }
  rel(): string | undefined {
    return this.getAttribute('rel');
  }
  checked(): boolean {
    return this.hasAttribute('checked');
  }
  disabled(): boolean {
    return this.hasAttribute('disabled');
  }
  selected(): boolean {
    return this.hasAttribute('selected');
  }
}
