'use strict';
// The owners' web chat. Every text an owner, the bot or an adviser wrote is put on the page as text nodes; links
// are <a> elements built here, for http(s) addresses only. New lines come from a long poll (the server holds it
// until there are some); messages that could not be sent are tried again with the same id, so the server never
// answers one twice.
(() => {
  const API = '/api/v1/chat/messages';
  const POLL_TIMEOUT_MS = 40000; // the server answers a waiting poll within 25 s
  const SEND_TIMEOUT_MS = 20000;
  const MAX_BACKOFF_MS = 30000;
  const REPLY_PATIENCE_MS = 60000; // how long the waiting dots are shown for a message with no reply
  const MAX_CHOICES = 9; // a clarify offers few topics; the commands read one digit
  const NOTICES = new Set(['unreadable', 'slow_down', 'rating', 'no_choice']);
  const AUTHORS = new Set(['owner', 'bot', 'adviser']);
  const URL_PATTERN = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;

  const list = document.getElementById('lines');
  const typing = document.getElementById('typing');
  const statusNote = document.getElementById('status');
  const form = document.getElementById('form');
  const input = document.getElementById('input');
  const sendButton = document.getElementById('send');

  let seen = 0; // the newest line shown
  let ready = false; // the history has been read once, so the session cookie is set before anything is sent
  const outbox = []; // messages the server has not accepted yet, oldest first
  const echoes = []; // messages shown here whose line has not come back from the server yet
  let unanswered = 0; // owner messages since the last bot line
  let lastActivity = 0;
  let activeChoices = null; // the buttons under the latest clarify, until the owner writes again
  let sending = false;
  let sendTimer = 0;
  let typingTimer = 0;
  let wake = null; // ends the poll's current pause early
  let pollStarted = 0;
  let pollAbort = null;
  const problems = {poll: null, send: null};

  function clientId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }

  function backoff(failures) {
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 5));
    return base / 2 + Math.random() * base / 2;
  }

  function retryAfterMs(response) {
    const seconds = Number(response.headers.get('Retry-After'));
    return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 600) * 1000 : null;
  }

  async function errorMessage(response, fallback) {
    try {
      const body = await response.json();
      return typeof body.message === 'string' && body.message ? body.message : fallback;
    } catch (e) {
      return fallback;
    }
  }

  async function request(url, options, timeoutMs) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      return await fetch(url, {...options, signal: abort.signal, cache: 'no-store', credentials: 'same-origin'});
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- drawing lines ----

  function safeHref(text) {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Appends text to parent as text nodes, with each http(s) address in it as a link. */
  function appendWithLinks(parent, text) {
    let from = 0;
    for (const match of text.matchAll(URL_PATTERN)) {
      const address = match[0].replace(/[.,;:!?'")\]]+$/, '');
      const href = safeHref(address);
      if (!href) {
        continue;
      }
      parent.appendChild(document.createTextNode(text.slice(from, match.index)));
      const link = document.createElement('a');
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = address;
      parent.appendChild(link);
      from = match.index + address.length;
    }
    parent.appendChild(document.createTextNode(text.slice(from)));
  }

  function lineNode(author, kind, text) {
    const node = document.createElement('div');
    node.className = 'line ' + author;
    if (/^[a-z_]{1,32}$/.test(kind)) {
      node.classList.add(kind);
    }
    if (NOTICES.has(kind)) {
      node.classList.add('notice');
    }
    if (author === 'adviser') {
      const who = document.createElement('div');
      who.className = 'who';
      who.textContent = '法治锦鲤顾问';
      node.appendChild(who);
    }
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    if (author === 'owner') {
      bubble.textContent = text;
    } else {
      appendWithLinks(bubble, text);
    }
    node.appendChild(bubble);
    return node;
  }

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  /** Makes a change that moves the end of the list (a note, a taller composer) without losing it from view. */
  function keepingTheEnd(change) {
    const atEnd = nearBottom();
    change();
    if (atEnd) {
      list.scrollTop = list.scrollHeight;
    }
  }

  /** Puts a line last; follows it when the reader was at the end, showing the top of a reply taller than the view. */
  function place(node, follow) {
    const atEnd = follow || nearBottom();
    list.insertBefore(node, typing);
    if (atEnd) {
      list.scrollTop = node.offsetHeight > list.clientHeight - 24 ? node.offsetTop - 8 : list.scrollHeight;
    }
  }

  function choiceButtons(count) {
    const group = document.createElement('div');
    group.className = 'choices';
    for (let n = 1; n <= count; n++) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = String(n);
      button.setAttribute('aria-label', '选第 ' + n + ' 项');
      button.addEventListener('click', () => {
        button.classList.add('picked');
        send(String(n));
      });
      group.appendChild(button);
    }
    return group;
  }

  function retireChoices() {
    if (activeChoices) {
      activeChoices.querySelectorAll('button').forEach(b => { b.disabled = true; });
      activeChoices = null;
    }
  }

  function show(line) {
    if (typeof line.id !== 'number' || line.id <= seen || typeof line.text !== 'string') {
      return;
    }
    seen = line.id;
    const author = AUTHORS.has(line.author) ? line.author : 'bot';
    const at = Date.parse(line.at);
    lastActivity = Math.max(lastActivity, Number.isFinite(at) ? Math.min(at, Date.now()) : Date.now());
    if (author === 'owner') {
      retireChoices();
      const echo = echoes.findIndex(m => m.text === line.text);
      if (echo >= 0) {
        const [message] = echoes.splice(echo, 1);
        if (outbox.includes(message)) {
          clearNote(message); // it did arrive; the answer to the retry will say it is a duplicate
        }
        place(message.node, false); // where the server put it, should a reply have come in between
        return;
      }
      unanswered++;
      place(lineNode('owner', line.kind, line.text), false);
      return;
    }
    if (author === 'bot') {
      unanswered = Math.max(0, unanswered - 1);
    }
    const node = lineNode(author, line.kind, line.text);
    const choices = line.meta && Number(line.meta.choices);
    if (author === 'bot' && line.kind === 'clarify' && Number.isInteger(choices) && choices > 0) {
      retireChoices();
      activeChoices = choiceButtons(Math.min(choices, MAX_CHOICES));
      node.appendChild(activeChoices);
    }
    place(node, false);
  }

  function updateTyping() {
    clearTimeout(typingTimer);
    const waitingFor = REPLY_PATIENCE_MS - (Date.now() - lastActivity);
    const waiting = unanswered > 0 && outbox.length === 0 && waitingFor > 0;
    if (waiting === typing.hidden) {
      keepingTheEnd(() => { typing.hidden = !waiting; });
    }
    if (waiting) {
      typingTimer = setTimeout(updateTyping, waitingFor + 50);
    }
  }

  function setProblem(source, text) {
    problems[source] = text;
    const shown = problems.poll || problems.send;
    keepingTheEnd(() => {
      statusNote.textContent = shown || '';
      statusNote.hidden = !shown;
    });
  }

  /** The small note under an owner's message that has not been sent: why, and a button to try now. */
  function noteOn(message, text, canRetry) {
    if (!message.note) {
      message.note = document.createElement('div');
      keepingTheEnd(() => message.node.appendChild(message.note));
    }
    message.note.className = 'state' + (canRetry ? '' : ' failed');
    message.note.textContent = text;
    if (canRetry) {
      const again = document.createElement('button');
      again.type = 'button';
      again.textContent = '重发';
      again.addEventListener('click', () => {
        clearTimeout(sendTimer);
        flush();
      });
      message.note.appendChild(again);
    }
  }

  function clearNote(message) {
    if (message.note) {
      message.note.remove();
      message.note = null;
    }
  }

  // ---- sending ----

  function send(text) {
    const question = text.trim();
    if (!question) {
      return;
    }
    retireChoices();
    const message = {id: clientId(), text: question, node: lineNode('owner', 'text', question), note: null,
      failures: 0};
    place(message.node, true);
    outbox.push(message);
    echoes.push(message);
    unanswered++;
    lastActivity = Date.now();
    flush();
  }

  async function post(message) {
    try {
      const response = await request(API, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({text: message.text, id: message.id}),
      }, SEND_TIMEOUT_MS);
      if (response.status === 202) {
        return {sent: true};
      }
      if (response.status === 400 || response.status === 413) {
        return {refused: await errorMessage(response, '这条消息发不出去，请修改后再发')};
      }
      const busy = response.status === 429 || response.status === 503;
      return {busy, delay: (busy && retryAfterMs(response)) || null};
    } catch (e) {
      return {offline: true};
    }
  }

  async function flush() {
    if (sending || !ready) {
      return;
    }
    sending = true;
    clearTimeout(sendTimer);
    try {
      while (outbox.length > 0) {
        const message = outbox[0];
        const result = await post(message);
        if (result.sent) {
          outbox.shift();
          clearNote(message);
          lastActivity = Date.now();
          setProblem('send', null);
          continue;
        }
        if (result.refused) {
          outbox.shift();
          echoes.splice(echoes.indexOf(message), 1);
          unanswered = Math.max(0, unanswered - 1);
          noteOn(message, '未发送：' + result.refused, false);
          continue;
        }
        message.failures++;
        const delay = result.delay || backoff(message.failures);
        const seconds = Math.ceil(delay / 1000);
        noteOn(message, result.offline ? '未发出，稍后自动重发' : '未发出，' + seconds + ' 秒后自动重发', true);
        setProblem('send', result.busy ? '服务正忙，请稍候，' + seconds + ' 秒后自动重试' : '网络连接中断，正在重试…');
        sendTimer = setTimeout(flush, delay);
        break;
      }
    } finally {
      sending = false;
      updateTyping();
    }
  }

  // ---- receiving ----

  async function fetchLines(wait) {
    pollAbort = new AbortController();
    pollStarted = Date.now();
    const abort = pollAbort;
    const timer = setTimeout(() => abort.abort(), POLL_TIMEOUT_MS);
    try {
      const response = await fetch(API + '?after=' + seen + (wait ? '&wait=true' : ''),
          {signal: abort.signal, cache: 'no-store', credentials: 'same-origin'});
      if (response.ok) {
        const body = await response.json();
        return {lines: Array.isArray(body.messages) ? body.messages : []};
      }
      const busy = response.status === 429 || response.status === 503;
      return {busy, delay: (busy && retryAfterMs(response)) || null};
    } catch (e) {
      return {offline: true};
    } finally {
      clearTimeout(timer);
      pollAbort = null;
    }
  }

  function pause(ms) {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function poll() {
    let failures = 0;
    for (;;) {
      const result = await fetchLines(ready);
      if (result.lines) {
        failures = 0;
        setProblem('poll', null);
        result.lines.forEach(show);
        if (!ready) {
          ready = true;
          list.scrollTop = list.scrollHeight;
          flush();
        }
        updateTyping();
        continue;
      }
      failures++;
      const delay = result.delay || backoff(failures);
      setProblem('poll', result.busy ? '服务正忙，请稍候，' + Math.ceil(delay / 1000) + ' 秒后自动重试'
          : '网络连接中断，正在重新连接…');
      await pause(delay);
    }
  }

  /** Back on the network or back in the tab: try at once instead of waiting out the pause. */
  function retryNow() {
    if (wake) {
      wake();
    }
    if (pollAbort && Date.now() - pollStarted > POLL_TIMEOUT_MS - 10000) {
      pollAbort.abort(); // a poll from before the phone slept may never be answered
    }
    if (outbox.length > 0 && !sending) {
      flush();
    }
  }

  // ---- the composer ----

  function fitInput() {
    keepingTheEnd(() => {
      input.style.height = 'auto';
      input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
    });
    sendButton.disabled = input.value.trim() === '';
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    if (input.value.trim() === '') {
      return;
    }
    send(input.value);
    input.value = '';
    fitInput();
    input.focus();
  });
  input.addEventListener('input', fitInput);
  input.addEventListener('keydown', event => {
    // Enter sends; Shift+Enter is a new line; Enter that picks a word in a Chinese input method sends nothing
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit', {cancelable: true}));
    }
  });
  document.querySelectorAll('[data-say]').forEach(button => {
    button.addEventListener('click', () => send(button.dataset.say));
  });
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      retryNow();
    }
  });

  fitInput();
  poll();
})();
