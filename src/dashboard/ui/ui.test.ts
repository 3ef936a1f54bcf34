import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Script } from 'node:vm';
import { APP_JS } from './app.js';
import { APP_CSS } from './styles.js';
import { buildPage, readUplot } from './page.js';

test('the page script parses and reaches nothing but its own origin', () => {
  assert.doesNotThrow(() => new Script(APP_JS, { filename: 'dashboard-app.js' }));
  assert.doesNotMatch(APP_JS, /https?:\/\//, 'no absolute URLs in the app');
  assert.match(APP_JS, /new EventSource\('\/events' \+ q\)/);
  assert.doesNotMatch(APP_CSS, /@import|url\(/, 'no external stylesheet resources');
});

test('uPlot comes from node_modules and is inlined', () => {
  const u = readUplot();
  assert.match(u.js, /var uPlot=/);
  assert.ok(u.css.includes('.uplot'));
  const { html } = buildPage(u);
  assert.ok(html.length < 200_000, `page ${html.length} bytes`);
  assert.ok(html.indexOf('var uPlot=') < html.indexOf("new EventSource('/events'"), 'uPlot loads before the app');
});
