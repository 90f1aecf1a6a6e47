'use strict';
// The advisers' console. Every text that came from an owner, the bot, an adviser or the knowledge base is put on the
// page as text nodes (el() below never parses HTML); the only links built from server data are same-site paths
// and http(s) addresses checked by safeHref. The sign-in token lives in sessionStorage, so it ends with the tab, and
// goes with every request as "Authorization: Bearer"; any 401 brings the sign-in form back. The queue and the open
// ticket are fetched again whenever the changes long poll reports something new.
(() => {
  const TOKEN_KEY = 'koi.console.token';
  const CALENDAR_SEEN_KEY = 'koi.console.calendarSeen';
  const POLL_TIMEOUT_MS = 40000; // the server answers a waiting changes poll within 25 s
  const REQUEST_TIMEOUT_MS = 20000;
  const FALLBACK_REFRESH_MS = 30000; // when the server has no changes endpoint, the queue is read this often
  const CALENDAR_REFRESH_MS = 30 * 60 * 1000;
  const MAX_BACKOFF_MS = 30000;
  const ZONE = 'Asia/Shanghai'; // the 315 promise is kept in China's working hours, so times are shown there

  // At risk ("临近"): less than a quarter of a milestone's span is left, the span running from the ticket's creation
  // to the deadline, or, for the 30-minute respond milestone, less than 10 minutes. Breached ("已超时"): the deadline
  // has passed with the milestone unmet, or the server lists it under "breached". Each state has a colour and a word.
  const AT_RISK_SHARE = 0.25;
  const RESPOND_AT_RISK_MS = 10 * 60 * 1000;

  const MILESTONES = {respond: '响应', settle: '办结', feedback: '反馈'};
  const STATUSES = {open: '未认领', claimed: '已认领', resolved: '已办结'};
  const CHANNELS = {web: '网页聊天', wecom: '企业微信', wecom_kf: '微信客服', dingtalk: '钉钉', feishu: '飞书'};
  const COMPLEXITY = {simple: '简单事项', complex: '复杂事项'};
  const REASONS = {asked_for_person: '企业主要求人工', complex_case: '案情复杂'};
  const AUTHORS = {owner: '企业主', bot: '机器人', adviser: '顾问'};
  const ROLES = {adviser: '顾问', admin: '管理员'};
  const DELIVERY = {pending: '发送中', sent: '已送达'};
  const ACTIONS = {
    opened: '创建工单', joined: '企业主留言', contact_given: '企业主留下联系方式', claimed: '认领', assigned: '指派',
    transferred: '转部门', replied: '回复', noted: '内部备注', feedback: '反馈', phone_call: '电话沟通',
    complexity: '调整类型', resolved: '办结', reopened: '重新打开', rated: '企业主评价', breached: '超时',
    proposed_guidance: '建议写成指引',
  };
  const DETAILS = {
    reason: '原因', from: '从', to: '到', note: '说明', rating: '评分', milestone: '时限', title: '标题',
    complexity: '类型', department: '部门',
  };

  const $ = id => document.getElementById(id);
  const views = {signIn: $('sign-in'), desk: $('desk'), admin: $('admin'), nav: $('nav')};
  const queueList = $('queue-list');
  const ticketSection = $('ticket');
  const replyBox = $('reply');

  let session = null; // {token, me, departments, seq, controllers}; null when signed out
  let tickets = []; // the queue as last read
  let knownTicketIds = null; // ids seen in earlier reads, to mark new arrivals
  let openTicket = null; // the ticket shown, with its transcript
  let openTicketId = null;
  let queueScroll = 0; // how far a phone's reader had scrolled the list before opening a ticket
  const drafts = new Map(); // ticket id → unsent reply text
  const countdowns = new WeakMap(); // countdown element → {ticket, milestone}
  const problems = {poll: null, queue: null};

  // ---- building the page from data: text only ----

  /**
   * Makes an element. Strings among the children become text nodes; "text" sets textContent; "on…" adds a listener;
   * other props become attributes. Never pass server data as an href without safeHref.
   */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key === 'class') {
        node.className = value;
      } else if (key === 'text') {
        node.textContent = String(value);
      } else if (key.startsWith('on')) {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  /** An address safe to link to: a path on this site, or an http(s) address. */
  function safeHref(text) {
    if (typeof text !== 'string' || !text) {
      return null;
    }
    try {
      const url = new URL(text, location.origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** A path on this site only: where the bearer token may be sent. */
  function sameSitePath(text) {
    if (typeof text !== 'string' || !text.startsWith('/') || text.startsWith('//')) {
      return null;
    }
    const url = new URL(text, location.origin);
    return url.origin === location.origin ? url.pathname + url.search : null;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function showError(node, text) {
    node.textContent = text || '';
    node.hidden = !text;
  }

  const TIME = new Intl.DateTimeFormat('zh-CN', {timeZone: ZONE, month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
  const FULL_TIME = new Intl.DateTimeFormat('zh-CN', {timeZone: ZONE, year: 'numeric', month: 'numeric',
    day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});

  function timeText(iso, full) {
    const at = Date.parse(iso);
    return Number.isFinite(at) ? (full ? FULL_TIME : TIME).format(at) : '—';
  }

  /** "2天3小时", "1小时5分", "12分05秒": coarse when far, to the second when close. */
  function durationText(ms) {
    const seconds = Math.floor(Math.abs(ms) / 1000);
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor(seconds % 86400 / 3600);
    const minutes = Math.floor(seconds % 3600 / 60);
    if (days > 0) {
      return days + '天' + hours + '小时';
    }
    if (hours > 0) {
      return hours + '小时' + minutes + '分';
    }
    return minutes + '分' + String(seconds % 60).padStart(2, '0') + '秒';
  }

  function sizeText(bytes) {
    const n = Number(bytes);
    if (!Number.isFinite(n) || n < 0) {
      return '';
    }
    return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
  }

  function label(map, code) {
    return map[code] || (code ? String(code) : '—');
  }

  // ---- deadlines ----

  function milestoneNames(ticket) {
    const due = ticket.due || {};
    return ['respond', 'settle', 'feedback'].filter(name => typeof due[name] === 'string');
  }

  /** Where one milestone stands at {@code now}: met, met late, ok, at risk or breached, and the time left. */
  function milestoneState(ticket, name, now) {
    const due = Date.parse(ticket.due[name]);
    const metAt = ticket.met && ticket.met[name] ? Date.parse(ticket.met[name]) : NaN;
    const listedBreached = Array.isArray(ticket.breached) && ticket.breached.includes(name);
    if (Number.isFinite(metAt)) {
      return {name, due, metAt, state: metAt > due || listedBreached ? 'met-late' : 'met', left: due - metAt};
    }
    const left = due - now;
    if (left <= 0 || listedBreached) {
      return {name, due, state: 'late', left};
    }
    const start = Date.parse(ticket.createdAt);
    const span = Number.isFinite(start) && due > start ? due - start : Infinity;
    const atRisk = left < span * AT_RISK_SHARE || (name === 'respond' && left < RESPOND_AT_RISK_MS);
    return {name, due, state: atRisk ? 'risk' : 'ok', left};
  }

  /** The unmet milestone due first, or null when every milestone is met or the ticket is resolved. */
  function nextMilestone(ticket, now) {
    if (ticket.status === 'resolved') {
      return null;
    }
    return milestoneNames(ticket).map(name => milestoneState(ticket, name, now))
        .filter(m => m.state === 'ok' || m.state === 'risk' || m.state === 'late')
        .sort((a, b) => a.due - b.due)[0] || null;
  }

  const STATE_WORDS = {ok: '正常', risk: '临近', late: '已超时', met: '已完成', 'met-late': '超时完成'};

  function countdownText(m) {
    const what = MILESTONES[m.name] || m.name;
    switch (m.state) {
      case 'met':
        return what + '已完成';
      case 'met-late':
        return what + '超时完成';
      case 'late':
        return what + '超出 ' + durationText(m.left);
      default:
        return what + '剩 ' + durationText(m.left);
    }
  }

  /** A live countdown for one milestone (or the next unmet one when name is null): a word and a colour class. */
  function countdown(ticket, name) {
    const node = el('span', {class: 'countdown'});
    countdowns.set(node, {ticket, name});
    drawCountdown(node, Date.now());
    return node;
  }

  function drawCountdown(node, now) {
    const spec = countdowns.get(node);
    if (!spec) {
      return;
    }
    const m = spec.name ? milestoneState(spec.ticket, spec.name, now) : nextMilestone(spec.ticket, now);
    if (!m) {
      node.className = 'countdown due-none';
      node.textContent = spec.ticket.status === 'resolved' ? '已办结' : '时限均已达成';
      return;
    }
    node.className = 'countdown due-' + m.state;
    node.replaceChildren(el('b', {class: 'due-word', text: STATE_WORDS[m.state]}), ' ', countdownText(m));
    node.title = (MILESTONES[m.name] || m.name) + '时限 ' + timeText(new Date(m.due).toISOString(), true);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll('.countdown').forEach(node => drawCountdown(node, now));
  }

  // ---- talking to the server ----

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function errorOf(response) {
    let code = 'http_' + response.status;
    let message = '';
    try {
      const body = await response.json();
      code = typeof body.error === 'string' ? body.error : code;
      message = typeof body.message === 'string' ? body.message : '';
    } catch (e) {
      // not JSON: the status says enough
    }
    if (!message) {
      message = response.status === 403 ? '当前账号没有权限执行此操作'
          : response.status === 404 ? '暂不可用' : response.status >= 500 ? '服务暂时出错了，请稍后再试'
          : '请求未成功（' + response.status + '）';
    }
    return new ApiError(response.status, code, message);
  }

  /** One request with the token. A 401 signs out; other failures throw an ApiError with the server's message. */
  async function call(method, path, body, options = {}) {
    const current = session;
    if (!current) {
      throw new ApiError(401, 'unauthorized', '请先登录');
    }
    const abort = new AbortController();
    current.controllers.add(abort);
    const timer = setTimeout(() => abort.abort(), options.timeoutMs || REQUEST_TIMEOUT_MS);
    let response;
    try {
      const headers = {Authorization: 'Bearer ' + current.token};
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: abort.signal, cache: 'no-store', credentials: 'omit'});
    } catch (e) {
      throw new ApiError(0, 'offline', current === session ? '网络连接中断，请稍后再试' : '已退出');
    } finally {
      clearTimeout(timer);
      current.controllers.delete(abort);
    }
    if (response.status === 401) {
      if (current === session) {
        signOut('登录已失效，请重新登录');
      }
      throw new ApiError(401, 'unauthorized', '登录已失效，请重新登录');
    }
    if (!response.ok) {
      throw await errorOf(response);
    }
    if (options.blob) {
      return response.blob();
    }
    return response.status === 204 ? {} : response.json().catch(() => ({}));
  }

  const get = (path, options) => call('GET', path, undefined, options);
  const post = (path, body) => call('POST', path, body === undefined ? {} : body);

  /** Reads a file with the token and hands it to the browser as a download, never opened in the page. */
  async function download(path, name) {
    const blob = await get(path, {blob: true, timeoutMs: 120000});
    const file = new Blob([blob], {type: 'application/octet-stream'});
    const url = URL.createObjectURL(file);
    const link = el('a', {href: url, download: name || 'download', hidden: true});
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  /** Runs fn now, or once more after the run in progress, never two at a time. */
  function coalesced(fn) {
    let running = null;
    let again = false;
    return () => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await fn();
          } while (again);
        } finally {
          running = null;
        }
      })();
      return running;
    };
  }

  function setProblem(source, text) {
    problems[source] = text;
    const shown = problems.poll || problems.queue;
    showError($('status'), shown);
  }

  // ---- signing in and out ----

  async function signIn(event) {
    event.preventDefault();
    const button = $('sign-in-button');
    const username = $('username').value.trim();
    const password = $('password').value;
    if (!username || !password) {
      showError($('sign-in-error'), '请填写用户名和密码');
      return;
    }
    button.disabled = true;
    showError($('sign-in-error'), null);
    try {
      const response = await fetch('/api/v1/auth/login', {method: 'POST', cache: 'no-store', credentials: 'omit',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({username, password})});
      if (!response.ok) {
        const problem = await errorOf(response);
        showError($('sign-in-error'), response.status === 401 ? '用户名或密码错误' : problem.message);
        return;
      }
      const body = await response.json();
      if (typeof body.token !== 'string' || !body.token) {
        showError($('sign-in-error'), '登录未成功，请稍后再试');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, body.token);
      $('password').value = '';
      await begin(body.token, username);
    } catch (e) {
      showError($('sign-in-error'), '网络连接中断，请稍后再试');
    } finally {
      button.disabled = false;
    }
  }

  /** Starts a session with a token: who am I, the departments, the queue, and the live updates. */
  async function begin(token, usernameHint) {
    const current = {token, me: null, departments: [], seq: 0, controllers: new Set(), timers: []};
    session = current;
    try {
      current.me = await get('/api/v1/me');
    } catch (e) {
      if (current !== session) {
        return;
      }
      if (e.status !== 404) {
        showSignIn(e.message);
        return;
      }
      current.me = {username: usernameHint || '', role: 'adviser', departments: []}; // no /me: an adviser's view
    }
    if (current !== session) {
      return;
    }
    $('who').textContent = (current.me.username || '') + ' · ' + label(ROLES, current.me.role);
    show($('nav-admin'), isAdmin());
    show(views.nav, true);
    await loadDepartments();
    route();
    refreshQueue();
    loadCalendarWarnings();
    current.timers.push(setInterval(loadCalendarWarnings, CALENDAR_REFRESH_MS));
    watchChanges(current);
  }

  function isAdmin() {
    return Boolean(session && session.me && session.me.role === 'admin');
  }

  function signOut(message) {
    const current = session;
    session = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(CALENDAR_SEEN_KEY);
    if (current) {
      current.controllers.forEach(abort => abort.abort());
      current.timers.forEach(clearInterval);
    }
    tickets = [];
    knownTicketIds = null;
    openTicket = null;
    openTicketId = null;
    drafts.clear();
    queueList.replaceChildren();
    replyBox.value = '';
    setProblem('poll', null);
    setProblem('queue', null);
    show($('calendar-banner'), false);
    showSignIn(message);
  }

  function showSignIn(message) {
    show(views.nav, false);
    show(views.desk, false);
    show(views.admin, false);
    show(views.signIn, true);
    showError($('sign-in-error'), message || null);
    if (location.hash && location.hash !== '#/') {
      history.replaceState(null, '', location.pathname);
    }
    $('username').focus();
  }

  async function loadDepartments() {
    try {
      const body = await get('/api/v1/departments');
      session.departments = (Array.isArray(body.departments) ? body.departments : [])
          .filter(d => d && typeof d.name === 'string');
    } catch (e) {
      if (!session) {
        return;
      }
      session.departments = (session.me.departments || []).map(name => ({name, active: true}));
    }
    const mine = isAdmin() ? session.departments.filter(d => d.active !== false).map(d => d.name)
        : (session.me.departments || []);
    const filter = $('filter-department');
    const chosen = filter.value;
    filter.replaceChildren(el('option', {value: ''}, isAdmin() ? '全部部门' : '我的全部部门'),
        ...mine.map(name => el('option', {value: name}, name)));
    filter.value = mine.includes(chosen) ? chosen : '';
    $('transfer-department').replaceChildren(...session.departments.filter(d => d.active !== false)
        .map(d => el('option', {value: d.name}, d.name)));
  }

  async function loadCalendarWarnings() {
    if (!session) {
      return;
    }
    const banner = $('calendar-banner');
    try {
      const body = await get('/api/v1/calendar/warnings');
      const warnings = (Array.isArray(body.warnings) ? body.warnings : []).filter(w => typeof w === 'string');
      const text = warnings.join('；');
      const dismiss = () => {
        sessionStorage.setItem(CALENDAR_SEEN_KEY, text);
        show(banner, false);
      };
      banner.replaceChildren(el('b', {}, '工作日历提醒：'), text,
          el('span', {class: 'muted'}, '（时限可能算得不准，请管理员更新日历）'),
          el('button', {type: 'button', class: 'small dismiss', onclick: dismiss}, '知道了'));
      // once read, the same warning stays folded away for this tab; a new one shows again
      show(banner, warnings.length > 0 && sessionStorage.getItem(CALENDAR_SEEN_KEY) !== text);
    } catch (e) {
      show(banner, false); // no calendar endpoint yet: nothing to warn about
    }
  }

  // ---- the queue ----

  function queuePaths() {
    const status = $('filter-status').value;
    const department = $('filter-department').value;
    const suffix = department ? '&department=' + encodeURIComponent(department) : '';
    const statuses = status === 'active' ? ['open', 'claimed'] : [status];
    return statuses.map(s => '/api/v1/tickets?status=' + s + suffix);
  }

  const refreshQueue = coalesced(async () => {
    if (!session) {
      return;
    }
    try {
      const bodies = await Promise.all(queuePaths().map(path => get(path)));
      const seen = new Set();
      tickets = bodies.flatMap(body => Array.isArray(body.tickets) ? body.tickets : [])
          .filter(t => t && typeof t.id === 'number' && !seen.has(t.id) && seen.add(t.id));
      setProblem('queue', null);
      drawQueue();
    } catch (e) {
      if (session && e.status !== 401) {
        setProblem('queue', '工单列表未能更新：' + e.message);
      }
    }
  });

  /** Nearest unmet deadline first; tickets with every milestone met after them, newest first. */
  function sortedTickets(now) {
    return tickets.map(ticket => ({ticket, next: nextMilestone(ticket, now)}))
        .sort((a, b) => {
          if (a.next && b.next) {
            return a.next.due - b.next.due;
          }
          if (a.next || b.next) {
            return a.next ? -1 : 1;
          }
          return (Date.parse(b.ticket.updatedAt || b.ticket.createdAt) || 0)
              - (Date.parse(a.ticket.updatedAt || a.ticket.createdAt) || 0);
        }).map(entry => entry.ticket);
  }

  function drawQueue() {
    const sorted = sortedTickets(Date.now());
    const earlier = knownTicketIds;
    knownTicketIds = new Set(earlier || []);
    queueList.replaceChildren(...sorted.map(ticket => {
      knownTicketIds.add(ticket.id);
      const fresh = earlier !== null && !earlier.has(ticket.id);
      return queueItem(ticket, fresh);
    }));
    $('queue-count').textContent = '共 ' + sorted.length + ' 个工单';
    show($('queue-empty'), sorted.length === 0);
    const waiting = sorted.filter(t => t.status === 'open').length;
    document.title = (waiting ? '(' + waiting + ') ' : '') + '法治锦鲤 · 顾问工作台';
  }

  function queueItem(ticket, fresh) {
    const classes = ['ticket-item', 'status-' + ticket.status];
    if (ticket.id === openTicketId) {
      classes.push('selected');
    }
    if (fresh) {
      classes.push('fresh');
    }
    const owner = ticket.owner || {};
    return el('li', {class: classes.join(' '), 'data-id': ticket.id},
        el('a', {href: '#/ticket/' + ticket.id},
            el('div', {class: 'item-top'},
                el('span', {class: 'ticket-no'}, '#' + ticket.id),
                el('span', {class: 'badge status'}, label(STATUSES, ticket.status)),
                fresh && el('span', {class: 'badge new'}, '新'),
                countdown(ticket, null)),
            el('p', {class: 'question'}, typeof ticket.question === 'string' ? ticket.question : ''),
            el('div', {class: 'item-meta'},
                el('span', {}, ticket.department || '未分配部门'),
                el('span', {}, label(CHANNELS, ticket.channel)),
                el('span', {}, label(COMPLEXITY, ticket.complexity)),
                owner.enterprise && el('span', {}, owner.enterprise),
                el('span', {}, ticket.assignee ? '经办：' + ticket.assignee : '待认领'),
                ticket.failedReplies > 0 && el('span', {class: 'warn-text'}, '有回复未送达'),
                ticket.reach && ticket.reach.reachable === false && el('span', {class: 'warn-text'}, '渠道已不可回复'))));
  }

  // ---- one ticket ----

  const refreshTicket = coalesced(async () => {
    const id = openTicketId;
    if (!session || id === null) {
      return;
    }
    try {
      const ticket = await get('/api/v1/tickets/' + id);
      if (id === openTicketId) {
        openTicket = ticket;
        drawTicket(ticket);
      }
    } catch (e) {
      if (id === openTicketId && e.status !== 401) {
        showError($('action-error'), e.status === 404 ? '没有这个工单，或它已转到您不负责的部门'
            : e.status === 403 ? '您没有查看这个工单的权限' : '工单未能更新：' + e.message);
      }
    }
  });

  function openTicketView(id) {
    if (openTicketId === null) {
      queueScroll = window.scrollY;
    } else if (openTicketId !== id) {
      drafts.set(openTicketId, replyBox.value);
    }
    const changed = openTicketId !== id;
    openTicketId = id;
    if (changed) {
      openTicket = null;
      replyBox.value = drafts.get(id) || '';
      ['transcript', 'history-list', 'suggestion-list', 'ticket-actions', 'ticket-deadlines', 'ticket-reach']
          .forEach(part => $(part).replaceChildren());
      $('ticket-head').replaceChildren(el('h2', {}, '工单 #' + id), el('p', {class: 'muted'}, '正在读取…'));
      show($('ticket-failed'), false);
      showError($('action-error'), null);
      showError($('reply-error'), null);
      closePanels();
      loadSuggestions(id);
      ticketSection.scrollTop = 0;
      window.scrollTo(0, 0); // on a phone the ticket replaces the list: start at its top
    }
    show(ticketSection, true);
    show($('ticket-placeholder'), false);
    document.body.classList.add('ticket-open');
    queueList.querySelectorAll('.ticket-item').forEach(item => {
      item.classList.toggle('selected', Number(item.dataset.id) === id);
    });
    refreshTicket();
  }

  function closeTicketView() {
    if (openTicketId !== null) {
      drafts.set(openTicketId, replyBox.value);
    }
    openTicketId = null;
    openTicket = null;
    show(ticketSection, false);
    show($('ticket-placeholder'), true);
    document.body.classList.remove('ticket-open');
    queueList.querySelectorAll('.selected').forEach(item => item.classList.remove('selected'));
    window.scrollTo(0, queueScroll); // back on a phone: where the reader left the list
  }

  function drawTicket(ticket) {
    const owner = ticket.owner || {};
    $('ticket-head').replaceChildren(
        el('h2', {}, '工单 #' + ticket.id, ' ', el('span', {class: 'badge status status-' + ticket.status},
            label(STATUSES, ticket.status))),
        el('p', {class: 'question'}, typeof ticket.question === 'string' ? ticket.question : ''),
        el('dl', {class: 'facts'},
            fact('部门', ticket.department || '未分配'),
            fact('经办人', ticket.assignee || '待认领'),
            fact('类型', label(COMPLEXITY, ticket.complexity)),
            ticket.category && fact('问题类别', ticket.category),
            fact('转人工原因', label(REASONS, ticket.reason)),
            fact('渠道', label(CHANNELS, ticket.channel)),
            owner.enterprise && fact('企业', owner.enterprise),
            owner.phone && fact('电话', el('a', {href: 'tel:' + String(owner.phone).replace(/[^0-9+]/g, '')},
                owner.phone)),
            fact('创建时间', timeText(ticket.createdAt, true)),
            Number(ticket.rating) > 0 && fact('企业主评价', ticket.rating + ' / 5')));

    $('ticket-deadlines').replaceChildren(...milestoneNames(ticket).map(name => {
      const met = ticket.met && ticket.met[name];
      return el('div', {class: 'deadline'},
          el('span', {class: 'deadline-name'}, (MILESTONES[name] || name) + '时限'),
          el('span', {class: 'deadline-due'}, timeText(ticket.due[name], true)),
          countdown(ticket, name),
          met && el('span', {class: 'muted'}, '完成于 ' + timeText(met, true)));
    }));

    const reach = ticket.reach;
    const channel = label(CHANNELS, ticket.channel);
    if (reach && typeof reach === 'object') {
      const text = reach.reachable
          ? '可通过' + channel + '回复企业主' + (reach.until ? '，截至 ' + timeText(reach.until, true) : '')
          : '已不能通过' + channel + '回复企业主';
      $('ticket-reach').replaceChildren(el('p', {class: reach.reachable ? 'reach-ok' : 'reach-closed'},
          el('b', {}, reach.reachable ? '可以回复' : '无法回复'), ' ', text,
          reach.why ? '（' + reach.why + '）' : '',
          !reach.reachable && owner.phone ? '。可电话联系 ' + owner.phone : ''));
    }
    const failed = Number(ticket.failedReplies) || 0;
    showError($('ticket-failed'), failed > 0 ? failed + ' 条回复没能送达企业主，原因见对话记录' : null);

    drawActions(ticket);
    drawTranscript(ticket);
    $('history-list').replaceChildren(...(Array.isArray(ticket.history) ? ticket.history : []).map(h => {
      const detail = detailText(h.detail);
      return el('li', {}, el('time', {}, timeText(h.at, true)), ' ', h.actor || '系统', ' ',
          label(ACTIONS, h.action), detail ? '：' + detail : '');
    }));

    const complex = ticket.complexity === 'complex';
    show($('reply-feedback-label'), complex);
    if (!complex) {
      $('reply-feedback').checked = false;
    }
    const resolved = ticket.status === 'resolved';
    $('reply-send').disabled = resolved;
    replyBox.disabled = resolved;
    replyBox.placeholder = resolved ? '工单已办结，重新打开后才能回复' : '给企业主的回复';
  }

  /** A history entry's detail, given as text or as an object such as {"from": "A", "to": "B"}. */
  function detailText(detail) {
    if (detail === null || detail === undefined) {
      return '';
    }
    if (typeof detail !== 'object') {
      return String(detail);
    }
    return Object.entries(detail).filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => (DETAILS[k] || k) + ' ' + (k === 'milestone' ? label(MILESTONES, v)
            : k === 'complexity' ? label(COMPLEXITY, v) : k === 'reason' ? label(REASONS, v)
            : typeof v === 'object' ? JSON.stringify(v) : String(v)))
        .join('，');
  }

  function fact(name, value) {
    return el('div', {}, el('dt', {}, name), el('dd', {}, value));
  }

  function drawTranscript(ticket) {
    const lines = Array.isArray(ticket.transcript) ? ticket.transcript : [];
    $('transcript').replaceChildren(...lines.map(transcriptLine));
  }

  function transcriptLine(line) {
    const author = Object.hasOwn(AUTHORS, line.author) ? line.author : 'bot';
    const classes = ['line', author];
    if (line.internal) {
      classes.push('internal');
    }
    if (line.feedback) {
      classes.push('feedback');
    }
    const delivery = line.delivery && typeof line.delivery === 'object' ? line.delivery : null;
    if (delivery && delivery.state === 'failed') {
      classes.push('failed');
    }
    const tags = [
      line.internal && el('span', {class: 'tag internal'}, '内部备注'),
      line.feedback && el('span', {class: 'tag feedback'}, '反馈'),
      line.kind === 'phone_call' && el('span', {class: 'tag'}, '电话'),
    ];
    const attachments = Array.isArray(line.attachments) ? line.attachments : [];
    return el('li', {class: classes.join(' '), 'data-id': line.id},
        el('div', {class: 'line-head'}, el('b', {}, AUTHORS[author]),
            author === 'adviser' && typeof line.by === 'string' && line.by ? line.by : '',
            tags, el('time', {}, timeText(line.at, false))),
        el('div', {class: 'text'}, typeof line.text === 'string' ? line.text : ''),
        attachments.length > 0 && el('ul', {class: 'attachments'}, attachments.map(attachmentItem)),
        delivery && deliveryNote(delivery));
  }

  function deliveryNote(delivery) {
    if (delivery.state === 'failed') {
      return el('p', {class: 'delivery failed'}, '发送失败', delivery.error ? '：' + delivery.error : '');
    }
    return el('p', {class: 'delivery ' + (delivery.state === 'sent' ? 'sent' : 'pending')},
        label(DELIVERY, delivery.state));
  }

  function attachmentItem(attachment) {
    const name = typeof attachment.name === 'string' && attachment.name ? attachment.name : '附件';
    const path = sameSitePath(attachment.url);
    const what = [attachment.type, sizeText(attachment.size)].filter(Boolean).join('，');
    if (!path) {
      return el('li', {}, name, what ? '（' + what + '）' : '', el('span', {class: 'muted'}, ' 无法下载'));
    }
    const button = el('button', {type: 'button', class: 'link'}, '下载 ', name);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await download(path, name);
      } catch (e) {
        showError($('action-error'), '附件下载失败：' + e.message);
      } finally {
        button.disabled = false;
      }
    });
    return el('li', {}, button, what ? el('span', {class: 'muted'}, '（' + what + '）') : '');
  }

  // ---- actions ----

  function drawActions(ticket) {
    const buttons = [];
    const me = session && session.me ? session.me.username : '';
    if (ticket.status === 'resolved') {
      buttons.push(actionButton('重新打开', 'reopen', () => act('reopen')));
    } else {
      if (ticket.status === 'open' || (ticket.assignee && ticket.assignee !== me)) {
        buttons.push(actionButton('认领', 'claim', () => act('claim'), true));
      }
      buttons.push(actionButton('指派', 'assign', () => openPanel('assign-form')));
      buttons.push(actionButton('转部门', 'transfer', () => openPanel('transfer-form')));
      const other = ticket.complexity === 'complex' ? 'simple' : 'complex';
      buttons.push(actionButton(other === 'complex' ? '改为复杂事项' : '改为简单事项', 'complexity',
          () => act('complexity', {complexity: other})));
      buttons.push(actionButton('记录电话', 'phone', () => openPanel('phone-form')));
      buttons.push(actionButton('办结', 'resolve', () => openPanel('resolve-form')));
    }
    $('ticket-actions').replaceChildren(...buttons);
  }

  function actionButton(text, name, onclick, primary) {
    return el('button', {type: 'button', class: primary ? 'primary' : '', 'data-action': name, onclick}, text);
  }

  function closePanels() {
    ['assign-form', 'transfer-form', 'phone-form', 'resolve-form'].forEach(id => show($(id), false));
  }

  function openPanel(id) {
    const panel = $(id);
    const wasOpen = !panel.hidden;
    closePanels();
    if (!wasOpen) {
      show(panel, true);
      const first = panel.querySelector('input, select, textarea');
      if (first) {
        first.focus();
      }
    }
  }

  /** POSTs an action on the open ticket and shows the ticket as the server returns it. */
  async function act(action, body) {
    const id = openTicketId;
    if (id === null) {
      return false;
    }
    showError($('action-error'), null);
    const buttons = ticketSection.querySelectorAll('.actions button, .panel button[type=submit]');
    buttons.forEach(b => { b.disabled = true; });
    try {
      await post('/api/v1/tickets/' + id + '/' + action, body);
      closePanels();
      refreshTicket();
      refreshQueue();
      return true;
    } catch (e) {
      if (e.status !== 401) {
        showError($('action-error'), e.message);
      }
      return false;
    } finally {
      buttons.forEach(b => { b.disabled = false; });
    }
  }

  function onPanelSubmit(id, handler) {
    $(id).addEventListener('submit', async event => {
      event.preventDefault();
      await handler();
    });
    $(id).querySelector('.cancel').addEventListener('click', closePanels);
  }

  onPanelSubmit('assign-form', async () => {
    const username = $('assign-user').value.trim();
    if (username && await act('assign', {username})) {
      $('assign-user').value = '';
    }
  });
  onPanelSubmit('transfer-form', async () => {
    const department = $('transfer-department').value;
    const note = $('transfer-note').value.trim();
    if (department && note && await act('transfer', {department, note})) {
      $('transfer-note').value = '';
    }
  });
  onPanelSubmit('phone-form', async () => {
    const text = $('phone-text').value.trim();
    if (text && await act('phone-call', {text})) {
      $('phone-text').value = '';
    }
  });
  onPanelSubmit('resolve-form', async () => {
    let proposal = null;
    if ($('resolve-propose').checked) {
      const title = $('proposal-title').value.trim();
      const answer = $('proposal-answer').value.trim();
      if (!title || !answer) {
        showError($('action-error'), '建议写成指引时，请填写标题和建议答复');
        return;
      }
      proposal = {title, answer};
    }
    if (await act('resolve', {proposal})) {
      $('resolve-propose').checked = false;
      $('proposal-title').value = '';
      $('proposal-answer').value = '';
      show($('resolve-proposal'), false);
    }
  });
  $('resolve-propose').addEventListener('change', () => {
    show($('resolve-proposal'), $('resolve-propose').checked);
    if ($('resolve-propose').checked && openTicket && !$('proposal-title').value) {
      $('proposal-title').value = openTicket.question || '';
    }
  });

  // ---- replying ----

  $('reply-form').addEventListener('submit', async event => {
    event.preventDefault();
    const id = openTicketId;
    const text = replyBox.value.trim();
    if (id === null || !text) {
      showError($('reply-error'), text ? null : '请先写好回复内容');
      return;
    }
    const note = $('reply-note').checked;
    const feedback = !note && $('reply-feedback').checked;
    const send = $('reply-send');
    send.disabled = true;
    showError($('reply-error'), null);
    try {
      await call('POST', '/api/v1/tickets/' + id + '/replies', {text, note, feedback});
      if (id === openTicketId) {
        replyBox.value = '';
        $('reply-note').checked = false;
        $('reply-feedback').checked = false;
        syncReplyMode();
      }
      drafts.delete(id);
      refreshTicket();
      refreshQueue();
    } catch (e) {
      if (e.status !== 401) {
        showError($('reply-error'), '未发送：' + e.message);
      }
    } finally {
      send.disabled = Boolean(openTicket && openTicket.status === 'resolved');
    }
  });

  function syncReplyMode() {
    const note = $('reply-note').checked;
    $('reply-feedback').disabled = note;
    $('reply-send').textContent = note ? '保存备注' : '发送';
    $('reply-form').classList.toggle('as-note', note);
  }
  $('reply-note').addEventListener('change', syncReplyMode);

  /** Puts text into the reply box at the cursor, on a line of its own. */
  function insertIntoReply(text) {
    const start = replyBox.selectionStart ?? replyBox.value.length;
    const end = replyBox.selectionEnd ?? start;
    const before = replyBox.value.slice(0, start);
    const after = replyBox.value.slice(end);
    const lead = before && !before.endsWith('\n') ? '\n' : '';
    const trail = after && !after.startsWith('\n') ? '\n' : '';
    replyBox.value = before + lead + text + trail + after;
    const caret = (before + lead + text).length;
    replyBox.focus();
    replyBox.setSelectionRange(caret, caret);
  }

  // ---- suggestions ----

  async function loadSuggestions(id) {
    const state = $('suggestions-state');
    state.textContent = '正在查找…';
    $('suggestion-list').replaceChildren();
    try {
      const body = await get('/api/v1/tickets/' + id + '/suggestions');
      if (id !== openTicketId) {
        return;
      }
      const results = Array.isArray(body.results) ? body.results : [];
      state.textContent = results.length ? '' : '没有找到相关的指引或法条';
      $('suggestion-list').replaceChildren(...results.map(suggestionItem));
    } catch (e) {
      if (id === openTicketId) {
        state.textContent = e.status === 404 ? '暂不可用' : '未能读取：' + e.message;
      }
    }
  }

  function suggestionItem(result) {
    const title = typeof result.title === 'string' ? result.title : '';
    const citation = typeof result.citation === 'string' ? result.citation : '';
    const snippet = typeof result.snippet === 'string' ? result.snippet : '';
    const href = safeHref(result.url);
    const insert = () => insertIntoReply((snippet || title) + (citation ? '（依据：' + citation + '）' : ''));
    return el('li', {class: 'suggestion ' + (result.kind === 'statute' ? 'statute' : 'guidance'),
      'data-doc': result.docId},
    el('div', {class: 'suggestion-head'},
        el('span', {class: 'tag'}, result.kind === 'statute' ? '法条' : '指引'),
        href ? el('a', {href, target: '_blank', rel: 'noopener noreferrer'}, title) : el('b', {}, title)),
    citation && el('p', {class: 'citation'}, citation),
    snippet && el('p', {class: 'snippet'}, snippet),
    el('button', {type: 'button', class: 'insert', onclick: insert}, '插入回复'));
  }

  // ---- live updates ----

  function backoff(failures) {
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 5));
    return base / 2 + Math.random() * base / 2;
  }

  function pause(current, ms) {
    return new Promise(resolve => {
      const timer = setTimeout(resolve, ms);
      current.timers.push(timer);
    });
  }

  /**
   * The changes long poll: the first read (after=0) learns the current sequence number; each later one is held by
   * the server until something changes. A new number means re-reading the queue and the open ticket.
   */
  async function watchChanges(current) {
    let failures = 0;
    let first = true;
    while (current === session) {
      try {
        const body = await get('/api/v1/tickets/changes?after=' + current.seq + (first ? '' : '&wait=true'),
            {timeoutMs: POLL_TIMEOUT_MS});
        failures = 0;
        setProblem('poll', null);
        const seq = Number(body.seq);
        if (Number.isFinite(seq) && seq !== current.seq) {
          // the first answer too: something may have changed between reading the queue and learning the number
          current.seq = seq;
          refreshQueue();
          refreshTicket();
        }
        first = false;
      } catch (e) {
        if (current !== session || e.status === 401) {
          return;
        }
        if (e.status === 404) {
          // no changes endpoint on this server: read the queue on a timer instead
          current.timers.push(setInterval(() => {
            refreshQueue();
            refreshTicket();
          }, FALLBACK_REFRESH_MS));
          return;
        }
        failures++;
        const delay = backoff(failures);
        setProblem('poll', '实时更新中断，' + Math.ceil(delay / 1000) + ' 秒后重新连接…');
        await pause(current, delay);
      }
    }
  }

  // ---- administration ----

  const adminLoaders = {
    users: loadUsers, departments: loadDepartmentList, unmet: loadUnmet, stale: loadStale, report: loadReport,
    proposals: loadProposals,
  };

  function showAdminTab(tab) {
    const name = Object.hasOwn(adminLoaders, tab) ? tab : 'users';
    document.querySelectorAll('.admin-tabs a').forEach(a => a.classList.toggle('current', a.dataset.tab === name));
    document.querySelectorAll('#admin .tab').forEach(t => show(t, t.id === 'tab-' + name));
    showError($('admin-error'), null);
    adminLoaders[name]();
  }

  /** Runs an admin read or write; a missing endpoint says 暂不可用 in place instead of breaking the page. */
  async function adminCall(work, target) {
    try {
      return await work();
    } catch (e) {
      if (e.status === 401) {
        return undefined;
      }
      const text = e.status === 404 ? '暂不可用' : e.message;
      if (target) {
        target.replaceChildren(el(target.tagName === 'OL' || target.tagName === 'UL' ? 'li' : 'p',
            {class: 'muted unavailable'}, text));
      } else {
        showError($('admin-error'), text);
      }
      return undefined;
    }
  }

  async function loadUsers() {
    const list = $('user-list');
    $('new-departments').replaceChildren(...session.departments.filter(d => d.active !== false).map(d =>
        el('label', {class: 'check'}, el('input', {type: 'checkbox', value: d.name}), d.name)));
    const body = await adminCall(() => get('/api/v1/admin/users'), list);
    if (!body) {
      return;
    }
    const users = Array.isArray(body.users) ? body.users : [];
    $('assign-users').replaceChildren(...users.filter(u => u.active !== false)
        .map(u => el('option', {value: u.username})));
    list.replaceChildren(...users.map(user => el('li', {class: user.active === false ? 'inactive' : ''},
        el('b', {}, user.username), ' ', el('span', {class: 'badge'}, label(ROLES, user.role)), ' ',
        (Array.isArray(user.departments) ? user.departments : []).join('、') || '无部门',
        user.active === false ? el('span', {class: 'muted'}, '（已停用）')
            : el('button', {type: 'button', class: 'small', onclick: async () => {
              if (confirm('停用用户 ' + user.username + '？停用后他将不能登录。')) {
                await adminCall(() => post('/api/v1/admin/users/' + encodeURIComponent(user.username) + '/disable'));
                loadUsers();
              }
            }}, '停用'))));
  }

  $('user-form').addEventListener('submit', async event => {
    event.preventDefault();
    const departments = [...$('new-departments').querySelectorAll('input:checked')].map(i => i.value);
    const created = await adminCall(() => post('/api/v1/admin/users', {username: $('new-username').value.trim(),
      password: $('new-password').value, role: $('new-role').value, departments}));
    if (created !== undefined) {
      $('user-form').reset();
      loadUsers();
    }
  });

  async function loadDepartmentList() {
    const list = $('department-list');
    await loadDepartments();
    list.replaceChildren(...session.departments.map(d => el('li', {class: d.active === false ? 'inactive' : ''},
        el('b', {}, d.name),
        d.active === false ? el('span', {class: 'muted'}, '（已停用）')
            : el('button', {type: 'button', class: 'small', onclick: async () => {
              if (confirm('停用部门 ' + d.name + '？新工单不会再分到这个部门。')) {
                await adminCall(() => post('/api/v1/admin/departments/' + encodeURIComponent(d.name) + '/disable'));
                loadDepartmentList();
              }
            }}, '停用'))));
  }

  $('department-form').addEventListener('submit', async event => {
    event.preventDefault();
    const name = $('new-department').value.trim();
    if (name && await adminCall(() => post('/api/v1/admin/departments', {name})) !== undefined) {
      $('new-department').value = '';
      loadDepartmentList();
    }
  });

  async function loadUnmet() {
    const list = $('unmet-list');
    const body = await adminCall(() => get('/api/v1/admin/unmet?days=' + encodeURIComponent($('unmet-days').value)),
        list);
    if (!body) {
      $('unmet-summary').textContent = '';
      return;
    }
    const groups = Array.isArray(body.groups) ? body.groups : [];
    $('unmet-summary').textContent = '共 ' + (Number(body.questions) || 0) + ' 个问题，归为 ' + groups.length + ' 组';
    list.replaceChildren(...groups.map(g => {
      const outcomes = g.outcomes || {};
      return el('li', {},
          el('p', {}, el('b', {}, g.representative || ''), ' ', el('span', {class: 'badge'}, (g.count || 0) + ' 次')),
          el('p', {class: 'muted'}, '没有答案 ' + (outcomes.no_answer || 0) + ' · 需要澄清 ' + (outcomes.clarify || 0)
              + ' · 不满意 ' + (outcomes.unsatisfied || 0) + ' · ' + timeText(g.firstSeen, false) + ' 至 '
              + timeText(g.lastSeen, false) + (g.nearestDocId ? ' · 最接近的指引：' + g.nearestDocId : '')),
          Array.isArray(g.examples) && g.examples.length > 0
              && el('ul', {class: 'examples'}, g.examples.map(x => el('li', {}, String(x)))));
    }));
  }
  $('unmet-days').addEventListener('change', loadUnmet);

  async function loadStale() {
    const list = $('stale-list');
    const body = await adminCall(() => get('/api/v1/admin/stale-guidance'), list);
    if (!body) {
      $('stale-summary').textContent = '';
      return;
    }
    const guidance = Array.isArray(body.guidance) ? body.guidance : [];
    $('stale-summary').textContent = '超过 ' + body.maxAgeMonths + ' 个月未复核的指引：' + guidance.length + ' 篇';
    list.replaceChildren(...guidance.map(g => el('li', {},
        el('a', {href: '/guidance/' + encodeURIComponent(g.id), target: '_blank', rel: 'noopener'}, g.title || g.id),
        el('span', {class: 'muted'}, ' 上次复核 ' + (g.reviewed || '无记录') + '，已 ' + g.ageMonths + ' 个月'))));
  }

  function currentMonth() {
    const parts = new Intl.DateTimeFormat('en-CA', {timeZone: ZONE, year: 'numeric', month: '2-digit'})
        .formatToParts(new Date());
    return parts.find(p => p.type === 'year').value + '-' + parts.find(p => p.type === 'month').value;
  }

  function percent(part, whole) {
    return whole > 0 ? Math.round(part * 100 / whole) + '%' : '—';
  }

  async function loadReport() {
    const month = $('report-month').value || currentMonth();
    $('report-month').value = month;
    $('report-csv').href = '/api/v1/admin/report.csv?month=' + encodeURIComponent(month);
    $('report-csv').download = '315-report-' + month + '.csv';
    const target = $('report-table');
    const body = await adminCall(() => get('/api/v1/admin/report?month=' + encodeURIComponent(month)), target);
    if (!body) {
      return;
    }
    const rows = Array.isArray(body.departments) ? body.departments : [];
    if (rows.length === 0) {
      target.replaceChildren(el('p', {class: 'muted'}, month + ' 没有工单'));
      return;
    }
    target.replaceChildren(el('table', {},
        el('thead', {}, el('tr', {}, ['部门', '工单', '按时响应', '按时办结', '按时反馈', '超时', '评价']
            .map(h => el('th', {}, h)))),
        el('tbody', {}, rows.map(r => {
          const breaches = Array.isArray(r.breaches) ? r.breaches : [];
          const ratings = r.ratings || {};
          return el('tr', {},
              el('td', {}, r.department),
              el('td', {}, String(r.tickets)),
              el('td', {}, r.respondMet + '（' + percent(r.respondMet, r.tickets) + '）'),
              el('td', {}, String(r.settleMet)),
              el('td', {}, String(r.feedbackMet)),
              el('td', {}, breaches.length === 0 ? '无' : breaches.map(b =>
                  '#' + b.ticketId + ' ' + label(MILESTONES, b.milestone)).join('、')),
              el('td', {}, ratings.count ? Number(ratings.average).toFixed(1) + ' 分（' + ratings.count + ' 次）' : '—'));
        }))));
  }

  $('report-form').addEventListener('submit', event => {
    event.preventDefault();
    loadReport();
  });
  $('report-csv').addEventListener('click', async event => {
    event.preventDefault(); // the file needs the token, which a plain link would not send
    const month = $('report-month').value || currentMonth();
    await adminCall(() => download('/api/v1/admin/report.csv?month=' + encodeURIComponent(month),
        '315-report-' + month + '.csv'));
  });

  async function loadProposals() {
    const list = $('proposal-list');
    const body = await adminCall(() => get('/api/v1/admin/proposals'), list);
    if (!body) {
      return;
    }
    const proposals = Array.isArray(body.proposals) ? body.proposals : [];
    list.replaceChildren(...(proposals.length ? proposals.map(proposalItem)
        : [el('li', {class: 'muted'}, '暂无待审的指引建议')]));
  }

  function proposalItem(p) {
    const pending = !p.state || p.state === 'pending' || p.state === 'open';
    const field = (labelText, input) => el('label', {}, labelText, input);
    const docId = el('input', {required: true, pattern: '[a-z0-9\\-]{1,100}', placeholder: 'penalty-first-offence'});
    const title = el('input', {required: true, value: p.title || ''});
    const category = el('input', {placeholder: '例如 执法与处罚'});
    const questions = el('textarea', {rows: 3, placeholder: '企业主常见问法，每行一个（至少 3 个）'});
    questions.value = p.title || '';
    const basis = el('textarea', {rows: 2, placeholder: '法律依据，每行一条，如《中华人民共和国行政处罚法》第三十三条'});
    const answer = el('textarea', {rows: 4, required: true});
    answer.value = p.answer || '';
    const detail = el('textarea', {rows: 4, placeholder: '详细说明（可选）'});
    const lines = area => area.value.split('\n').map(s => s.trim()).filter(Boolean);
    const form = el('form', {class: 'proposal-form', hidden: true},
        field('文档编号', docId), field('标题', title), field('类别', category), field('问法', questions),
        field('法律依据', basis), field('简要回答', answer), field('详细说明', detail),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'primary'}, '发布')));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const done = await adminCall(() => post('/api/v1/admin/proposals/' + encodeURIComponent(p.id) + '/publish', {
        docId: docId.value.trim(), title: title.value.trim(), category: category.value.trim(),
        questions: lines(questions), basis: lines(basis), answer: answer.value.trim(), detail: detail.value.trim()}));
      if (done !== undefined) {
        loadProposals();
      }
    });
    const reject = async () => {
      if (confirm('驳回这条指引建议？')) {
        await adminCall(() => post('/api/v1/admin/proposals/' + encodeURIComponent(p.id) + '/reject'));
        loadProposals();
      }
    };
    return el('li', {class: 'proposal'},
        el('p', {}, el('b', {}, p.title || ''), ' ', el('span', {class: 'badge'}, p.state || ''),
            el('span', {class: 'muted'}, ' 来自工单 #' + p.ticketId + '，' + (p.author || '') + '，'
                + timeText(p.createdAt, true))),
        el('p', {class: 'text'}, p.answer || ''),
        pending && el('div', {class: 'row'},
            el('button', {type: 'button', onclick: () => { form.hidden = !form.hidden; }}, '审核并编辑'),
            el('button', {type: 'button', class: 'danger', onclick: reject}, '驳回')),
        pending && form);
  }

  // ---- navigation ----

  function route() {
    if (!session || !session.me) {
      return;
    }
    const hash = location.hash;
    const admin = hash.match(/^#\/admin(?:\/([a-z]+))?$/);
    if (admin && isAdmin()) {
      show(views.signIn, false);
      show(views.desk, false);
      show(views.admin, true);
      $('nav-admin').classList.add('current');
      $('nav-queue').classList.remove('current');
      showAdminTab(admin[1]);
      return;
    }
    show(views.signIn, false);
    show(views.admin, false);
    show(views.desk, true);
    $('nav-admin').classList.remove('current');
    $('nav-queue').classList.add('current');
    const ticket = hash.match(/^#\/ticket\/(\d{1,12})$/);
    if (ticket) {
      openTicketView(Number(ticket[1]));
    } else {
      closeTicketView();
    }
  }

  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut(null));
  $('filter-status').addEventListener('change', () => {
    knownTicketIds = null; // another list: nothing in it is news
    refreshQueue();
  });
  $('filter-department').addEventListener('change', () => {
    knownTicketIds = null;
    refreshQueue();
  });
  replyBox.addEventListener('keydown', event => {
    // Ctrl+Enter (⌘+Enter) sends; plain Enter is a new line, as replies are often several paragraphs
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      $('reply-form').requestSubmit();
    }
  });
  window.addEventListener('hashchange', route);
  setInterval(tick, 1000);
  syncReplyMode();

  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    begin(saved, '');
  } else {
    showSignIn(null);
  }
})();
