// The hall display: follows the branch's board over server-sent events
// and plays each fresh call's announcement (chime, Kazakh, Russian).
// Plain script, no build step. Everything it shows is a number or a
// window; it writes text with textContent only.
'use strict';
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const base = location.pathname.replace(/\/+$/, '');
  const $ = (id) => document.getElementById(id);

  function clock() {
    const d = new Date();
    $('clock').textContent = String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }
  clock();
  setInterval(clock, 10000);

  function cell(tag, cls, text) {
    const e = document.createElement(tag);
    e.className = cls;
    e.textContent = text;
    return e;
  }

  function render(b) {
    const calls = b.calls || [];
    $('now-number').textContent = calls.length ? calls[0].number : '—';
    $('now-window').textContent = calls.length ? calls[0].window : '';
    const rows = calls.slice(1).map((c) => {
      const tr = document.createElement('tr');
      tr.append(cell('td', 'number', c.number), cell('td', 'window', c.window));
      return tr;
    });
    $('last-calls').replaceChildren(...rows);
    const tiles = (b.serving || []).map((c) => {
      const li = document.createElement('li');
      li.append(cell('span', 'window', c.window), cell('span', 'number', c.number));
      return li;
    });
    $('serving').replaceChildren(...tiles);
  }

  // Announcements play one after another; a burst keeps the latest few.
  const queue = [];
  let playing = false;
  let locked = false;

  function announce(c) {
    queue.push(c);
    if (queue.length > 4) queue.shift();
    const now = $('now');
    now.classList.remove('fresh');
    void now.offsetWidth; // restart the flash
    now.classList.add('fresh');
    next();
  }

  function next() {
    if (playing || locked || !queue.length) return;
    const c = queue.shift();
    playing = true;
    const q = new URLSearchParams({ number: c.number, window: c.window, token: token });
    const audio = new Audio(base + '/say?' + q.toString());
    const done = () => { playing = false; next(); };
    audio.onended = done;
    audio.onerror = done;
    audio.play().catch((err) => {
      playing = false;
      if (err && err.name === 'NotAllowedError') {
        // The browser wants a gesture first (start it with
        // --autoplay-policy=no-user-gesture-required to need none).
        locked = true;
        queue.unshift(c);
        $('sound').hidden = false;
      } else {
        next();
      }
    });
  }

  function unlock() {
    if (!locked) return;
    locked = false;
    $('sound').hidden = true;
    next();
  }
  document.addEventListener('keydown', unlock);
  document.addEventListener('click', unlock);

  // The stream. After a network cut or a server restart the EventSource
  // reconnects by itself, sending Last-Event-ID; the server answers with
  // the board as it is, then what the display missed. An answer other than
  // the stream (the store out, the token revoked) closes it for good:
  // then recover() takes over, backing off, so that the TV comes back by
  // itself after any outage, however long.
  const url = base + '/events?' + new URLSearchParams({ token: token }).toString();
  const firstDelay = 2000;
  const maxDelay = 60000;
  let delay = firstDelay;

  function connect() {
    const es = new EventSource(url);
    window.hallEvents = es; // for the browser tests
    es.addEventListener('board', (ev) => {
      const b = JSON.parse(ev.data);
      render(b);
      if (b.say) announce(b.say);
    });
    es.onopen = () => {
      $('offline').hidden = true;
      delay = firstDelay;
    };
    es.onerror = () => {
      $('offline').hidden = false;
      if (es.readyState !== EventSource.CLOSED) return; // reconnecting by itself
      es.close();
      setTimeout(recover, delay);
      delay = Math.min(delay * 2, maxDelay);
    };
  }

  // recover asks for the page before reloading it: a reload while the
  // server is unreachable would leave the TV on the browser's error page
  // for good. A page that answers (200, or a refusal that says why and
  // reloads itself) is loaded; otherwise the stream is tried again later.
  async function recover() {
    let status = 0;
    try {
      const r = await fetch(location.href, { cache: 'no-store', credentials: 'omit', redirect: 'manual' });
      status = r.status;
    } catch (err) {
      status = 0; // unreachable
    }
    if (status === 200 || status === 401 || status === 403 || status === 404) {
      location.reload();
      return;
    }
    connect();
  }

  connect();
})();
