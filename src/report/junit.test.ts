import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedSummaryFixture, passingSummaryFixture, summaryFixture } from '../summary/testing/fixtures.js';
import { renderJUnit, xmlEscape } from './junit.js';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes entity references; throws on a bare '&' or an unknown entity. */
function decode(s: string, where: string): string {
  return s.replace(/&([^;]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    if (!(name in ENT)) throw new Error(`unknown entity &${name}; in ${where}`);
    return ENT[name]!;
  });
}

/**
 * A minimal, strict XML well-formedness check and parser: one declaration, one root element,
 * matched tags, quoted attributes without '<', no duplicate attributes, only the predefined and
 * numeric entities, no characters XML 1.0 forbids. Enough to prove the JUnit file parses.
 */
function parseXml(xml: string): XmlNode {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new Error('character not allowed in XML 1.0');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)) throw new Error('lone surrogate');
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  i = decl[0].length;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  while (i < xml.length) {
    if (xml[i] === '<') {
      const end = xml.indexOf('>', i);
      if (end < 0) throw new Error('unterminated tag');
      const tag = xml.slice(i + 1, end);
      i = end + 1;
      if (tag.startsWith('/')) {
        const open = stack.pop();
        if (!open || open.name !== tag.slice(1)) throw new Error(`mismatched </${tag.slice(1)}>`);
        if (stack.length === 0) root = open;
        continue;
      }
      const self = tag.endsWith('/');
      const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*\/?$/.exec(tag);
      if (!m) throw new Error(`malformed tag <${tag}>`);
      const node: XmlNode = { name: m[1]!, attrs: {}, children: [], text: '' };
      for (const a of m[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (a[1]! in node.attrs) throw new Error(`duplicate attribute ${a[1]}`);
        node.attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      }
      if (stack.length === 0 && root) throw new Error('two root elements');
      stack[stack.length - 1]?.children.push(node);
      if (self) {
        if (stack.length === 0) root = node;
      } else stack.push(node);
    } else {
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      i = next < 0 ? xml.length : next;
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error('text outside the root element');
        continue;
      }
      if (text.includes('>') && /]]>/.test(text)) throw new Error(']]> in text');
      stack[stack.length - 1]!.text += decode(text, 'text');
    }
  }
  if (stack.length > 0 || !root) throw new Error('unclosed elements');
  return root;
}

const suites = (x: XmlNode) => Object.fromEntries(x.children.map((s) => [s.attrs.name!, s]));

test('parses back: one suite per kind, one case per threshold and per check, counts add up', () => {
  const d = summaryFixture();
  const xml = renderJUnit(d);
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  const s = suites(root);
  assert.deepEqual(Object.keys(s), ['thresholds', 'checks', 'run']);
  assert.equal(s.thresholds!.children.filter((c) => c.name === 'testcase').length, 6);
  assert.equal(s.checks!.children.length, 4);
  assert.equal(root.attrs.tests, '11');
  assert.equal(root.attrs.failures, '3');
  assert.equal(s.thresholds!.attrs.failures, '2');
  assert.equal(s.checks!.attrs.failures, '1');
  assert.equal(s.run!.attrs.failures, '0');
  assert.equal(root.attrs.timestamp, '2025-01-15T09:30:00');
  assert.equal(s.thresholds!.attrs.time, '35.000');
  assert.equal(s.thresholds!.attrs.hostname, 'ci-runner-7');
  const props = s.thresholds!.children.find((c) => c.name === 'properties')!;
  assert.deepEqual(props.children.find((p) => p.attrs.name === 'exitCode')?.attrs.value, '99');
});

test('failing thresholds carry the measured value, the limit and the margin', () => {
  const s = suites(parseXml(renderJUnit(summaryFixture())));
  const tc = s.thresholds!.children.find((c) => c.attrs.name === 'http_req_duration: p(99)<500')!;
  assert.equal(tc.attrs.classname, 'volley.thresholds.http_req_duration');
  const f = tc.children[0]!;
  assert.equal(f.name, 'failure');
  assert.equal(f.attrs.type, 'threshold');
  assert.equal(f.attrs.message, 'p(99)=612.3ms; limit p(99)<500ms; 22% over the limit (1.22×)');
  assert.match(f.text, /measured: p\(99\)=612\.3ms \(612\.3\)/);
  const ok = s.thresholds!.children.find((c) => c.attrs.name === 'http_req_duration: p(95)<300')!;
  assert.equal(ok.children.length, 0, 'passing thresholds have no failure');
});

test('failing checks carry their pass and fail counts; names are group path › check', () => {
  const s = suites(parseXml(renderJUnit(summaryFixture())));
  const names = s.checks!.children.map((c) => c.attrs.name);
  assert.deepEqual(names, ['ingest accepted', 'browse › status 200', 'browse › has id', 'browse › details › title present']);
  const f = s.checks!.children[2]!.children[0]!;
  assert.equal(f.attrs.message, '70 of 1000 failed (93.00% passed)');
  assert.match(f.text, /passes: 930\nfails: 70/);
  assert.equal(s.checks!.children[3]!.attrs.classname, 'volley.checks.browse.details');
});

test('an aborted run fails the run case with the reason; a passing run fails no threshold', () => {
  const a = suites(parseXml(renderJUnit(abortedSummaryFixture())));
  assert.match(a.run!.children[0]!.children[0]!.attrs.message!, /^the test was aborted: threshold 'p\(95\)<900'/);
  assert.match(a.thresholds!.children.find((c) => c.attrs.name?.startsWith('http_req_duration{route'))!.children[0]!.attrs.message!, /aborted the test$/);
  const p = suites(parseXml(renderJUnit(passingSummaryFixture())));
  assert.equal(p.thresholds!.attrs.failures, '0');
  assert.equal(p.run!.attrs.failures, '0');
});

test('names with markup, quotes, control characters and lone surrogates still make valid XML', () => {
  const d = summaryFixture();
  d.root_group.checks[0]!.name = 'a<b & "c" \'d\'\u0001\tz\ud800';
  d.volley.thresholds[0]!.metric = 'checks{url:/a?x=1&y=<2>}';
  d.volley.script = 'dir/]]>.ts';
  const root = parseXml(renderJUnit(d));
  const s = suites(root);
  assert.equal(s.checks!.children[0]!.attrs.name, 'a<b & "c" \'d\'\tz');
  assert.equal(s.thresholds!.children.find((c) => c.name === 'testcase')!.attrs.name, 'checks{url:/a?x=1&y=<2>}: rate>0.99');
  assert.equal(root.attrs.name, 'volley: dir/]]>.ts');
});

test('no thresholds and no checks: just the run suite', () => {
  const d = passingSummaryFixture();
  d.volley.thresholds = [];
  d.root_group = { name: '', path: '', id: '', groups: [], checks: [] };
  const root = parseXml(renderJUnit(d));
  assert.deepEqual(root.children.map((c) => c.attrs.name), ['run']);
  assert.equal(root.attrs.tests, '1');
  const bare = renderJUnit({ ...d, volley: { ...d.volley, script: undefined, version: undefined, startTime: undefined, endTime: undefined, verdict: undefined, machine: undefined } } as never);
  assert.doesNotMatch(bare, /<properties>/, 'no empty properties element');
  assert.equal(parseXml(bare).children.length, 1);
});

test('xmlEscape keeps line breaks in text and encodes them in attributes', () => {
  assert.equal(xmlEscape('a\nb', false), 'a\nb');
  assert.equal(xmlEscape('a\nb'), 'a&#10;b');
  assert.equal(xmlEscape('<&>"\''), '&lt;&amp;&gt;&quot;&apos;');
});
