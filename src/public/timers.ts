/**
 * `volley/timers`: k6/timers (`setTimeout`, `clearTimeout`, `setInterval`, `clearInterval`), which
 * are Node's own globals here: a ported `import { setTimeout } from 'k6/timers'` keeps working as
 * `from 'volley/timers'`. A timer's callback that throws is counted as a script error (see
 * docs/scripting.md, "Deliberate differences").
 */
const { setTimeout, clearTimeout, setInterval, clearInterval } = globalThis;

export { setTimeout, clearTimeout, setInterval, clearInterval };
export default { setTimeout, clearTimeout, setInterval, clearInterval };
