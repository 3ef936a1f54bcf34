import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Element, parseHTML, Selection } from './html.js';

const PAGE = `<html><head><title>T</title></head><body>
<dl><dt id="term-1">term 1</dt><dd>def 1-a</dd><dd>def 1-b</dd><dt id="term-2">term 2</dt><dd class="x y">def 2-a</dd></dl>
<div id="d" data-user-id="7" data-active="true" data-cfg='{"a":1}' lang="en"><p>one</p><p>two</p><!-- c --></div>
<form id="f"><input name="user" value="bob"><textarea name="t">hi</textarea><select name="s"><option value="1">a</option><option selected>b</option></select>
<select name="m" multiple><option value="x" selected>x</option><option value="y" selected>y</option></select></form>
<a href="/next" class="nav">next</a></body></html>`;

describe('volley/html', () => {
  const doc = parseHTML(PAGE);

  it('find, text, attr, html and size', () => {
    assert.equal(doc.find('title').text(), 'T');
    assert.equal(doc.find('dt').size(), 2);
    assert.equal(doc.find('dt').length, 2);
    assert.equal(doc.find('a').attr('href'), '/next');
    assert.equal(doc.find('a').attr('missing'), undefined);
    assert.equal(doc.find('a').attr('missing', 'dflt'), 'dflt');
    assert.equal(doc.find('#d').html(), '<p>one</p><p>two</p><!-- c -->');
    assert.equal(doc.find('nope').html(), undefined);
  });

  it('narrowing and moving: first, last, eq, children, parent, filter, is, not, next, prev, closest', () => {
    const dd = doc.find('dd');
    assert.equal(dd.first().text(), 'def 1-a');
    assert.equal(dd.last().text(), 'def 2-a');
    assert.equal(dd.eq(1).text(), 'def 1-b');
    assert.equal(dd.eq(-1).text(), 'def 2-a');
    assert.equal(doc.find('dl').children().size(), 5);
    assert.equal(doc.find('dl').children('dt').size(), 2);
    assert.equal(dd.first().parent().is('dl'), true);
    assert.equal(dd.filter('.x').text(), 'def 2-a');
    assert.equal(dd.filter((i) => i === 0).text(), 'def 1-a');
    assert.equal(dd.not('.x').size(), 2);
    assert.equal(doc.find('#term-1').next().text(), 'def 1-a');
    assert.equal(doc.find('#term-2').prev().text(), 'def 1-b');
    assert.equal(doc.find('#term-1').nextUntil('#term-2').size(), 2);
    assert.equal(doc.find('p').first().closest('div').attr('id'), 'd');
    assert.equal(doc.find('p').is((_i, s) => s.text() === 'two'), true);
  });

  it('each passes Elements, map passes Selections', () => {
    const ids: string[] = [];
    doc.find('dt').each((i, el) => {
      assert.ok(el instanceof Element);
      ids.push(`${i}:${el.id()}:${el.textContent()}`);
    });
    assert.deepEqual(ids, ['0:term-1:term 1', '1:term-2:term 2']);
    assert.deepEqual(doc.find('dd').map((_i, s) => s.text()), ['def 1-a', 'def 1-b', 'def 2-a']);
    assert.ok(doc.find('dd').toArray()[0] instanceof Selection);
  });

  it('val, data and serialize', () => {
    assert.equal(doc.find('input').val(), 'bob');
    assert.equal(doc.find('textarea').val(), 'hi');
    assert.equal(doc.find('select[name=s]').val(), 'b');
    assert.deepEqual(doc.find('select[name=m]').val(), ['x', 'y']);
    assert.equal(doc.find('#d').data('userId'), 7);
    assert.equal(doc.find('#d').data('active'), true);
    assert.deepEqual(doc.find('#d').data('cfg'), { a: 1 });
    assert.equal(doc.find('#f').serialize(), 'user=bob&t=hi&s=b&m=x&m=y');
    assert.deepEqual(doc.find('#f').serializeObject(), { user: 'bob', t: 'hi', s: 'b', m: ['x', 'y'] });
  });

  it('Element DOM API', () => {
    const el = doc.find('#d').get(0)!;
    assert.equal(el.nodeName(), 'DIV');
    assert.equal(el.nodeType(), 1);
    assert.equal(el.lang(), 'en');
    assert.equal(el.childElementCount(), 2);
    assert.equal(el.childNodes().length, 3);
    assert.equal(el.firstElementChild()!.textContent(), 'one');
    assert.equal(el.lastChild()!.nodeName(), '#comment');
    assert.equal(el.querySelectorAll('p').length, 2);
    assert.equal(el.getAttribute('data-user-id'), '7');
    assert.ok(el.hasAttribute('lang'));
    assert.equal(el.firstElementChild()!.nextElementSibling()!.innerHTML(), 'two');
    assert.ok(el.contains(el.firstElementChild()!));
    assert.ok(el.matches('div#d'));
    const dd = doc.find('dd.x').get(0)!;
    assert.deepEqual(dd.classList(), ['x', 'y']);
    assert.equal(doc.find('a').get(0)!.href(), '/next');
    assert.equal(doc.find('dd').get(-1)!.textContent(), 'def 2-a');
    assert.equal(el.selection().find('p').size(), 2);
  });

  it('rejects non-string input clearly', () => {
    assert.throws(() => parseHTML(null as unknown as string), { code: 'E_HTML_INPUT' });
  });
});
