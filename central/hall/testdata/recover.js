// Runs hall.js (its path the first argument) with a stand-in browser
// and checks that a display whose stream is refused comes back by
// itself: it backs off, asks for the page before reloading it, and
// tries the stream again while the server is unreachable or unavailable.
'use strict';
const fs = require('fs');
const vm = require('vm');
const assert = require('assert');

const el = () => ({ hidden: true, textContent: '', classList: { add() {}, remove() {} }, replaceChildren() {}, append() {}, offsetWidth: 0 });
const elements = {};
const timers = [];
const sources = [];
const fetches = [];
let reloads = 0;
let answer = null; // what the next fetch gives: a status, or 0 for unreachable

class EventSource {
  constructor(url) { this.url = url; this.readyState = 0; this.closed = false; sources.push(this); }
  addEventListener() {}
  close() { this.readyState = 2; this.closed = true; }
}
EventSource.CONNECTING = 0; EventSource.OPEN = 1; EventSource.CLOSED = 2;

const ctx = {
  EventSource,
  URLSearchParams,
  JSON,
  Date,
  Math,
  String,
  console,
  window: {},
  location: { search: '?token=T', pathname: '/display/ALA-01', href: 'http://hall/display/ALA-01?token=T', reload() { reloads++; } },
  document: { getElementById: (id) => (elements[id] = elements[id] || el()), addEventListener() {}, createElement: el },
  setInterval() {},
  setTimeout(fn, ms) { timers.push({ fn, ms }); },
  fetch(url) {
    fetches.push(url);
    return answer ? Promise.resolve({ status: answer }) : Promise.reject(new TypeError('Failed to fetch'));
  },
  Audio: class {},
};
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), ctx);

const settle = () => new Promise((r) => setImmediate(r));

(async () => {
  assert.strictEqual(sources.length, 1, 'one stream at start');
  // A cut: the EventSource reconnects by itself; nothing else happens.
  sources[0].onerror();
  assert.strictEqual(timers.length, 0, 'a stream reconnecting by itself needs no help');
  const delays = [];
  // Refused, then the server unreachable, then unavailable, then back.
  for (const next of [0, 503, 200]) {
    const es = sources[sources.length - 1];
    es.readyState = EventSource.CLOSED;
    es.onerror();
    assert.strictEqual(elements.offline.hidden, false, 'the display says it is offline');
    const t = timers.shift();
    assert.ok(t, 'a closed stream is taken care of');
    delays.push(t.ms);
    answer = next;
    t.fn();
    await settle();
    if (next === 200) break;
    assert.strictEqual(reloads, 0, 'reloaded while the page does not answer (' + next + ')');
  }
  assert.strictEqual(reloads, 1, 'the page answers: reloaded');
  assert.strictEqual(fetches.length, 3, 'the page asked for before each reload decision');
  assert.strictEqual(sources.length, 3, 'a new stream after each unavailable answer');
  for (let i = 1; i < delays.length; i++) assert.ok(delays[i] > delays[i - 1], 'backs off: ' + delays);
  console.log('ok', delays.join(' '));
})().catch((err) => { console.error(err.message); process.exit(1); });
