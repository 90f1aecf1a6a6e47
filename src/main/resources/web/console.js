// The advisers' console. Every text that came from an owner, the bot, an adviser or the knowledge base is put on the
// page as text nodes (console/dom.js); the only links built from server data are same-site paths and http(s)
// addresses. The sign-in token lives in sessionStorage, so it ends with the tab, and goes with every request as
// "Authorization: Bearer"; any 401 brings the sign-in form back. The queue and the open ticket are fetched again
// whenever the changes long poll reports something new.
import {adminPages} from './console/admin.js';
import {coalesced, createApi, errorOf} from './console/api.js';
import {countdown, milestoneNames, nextMilestone, tick} from './console/deadlines.js';
import {el, safeHref, sameSitePath, show, showError, sizeText, timeText} from './console/dom.js';
import {
  ACTIONS, AUTHORS, CHANNELS, COMPLEXITY, DELIVERY, DETAILS, FILE_STATES, MILESTONES, REASONS, ROLES, STATUSES,
  label,
} from './console/words.js';

const TOKEN_KEY = 'koi.console.token';
const CALENDAR_SEEN_KEY = 'koi.console.calendarSeen';
const POLL_TIMEOUT_MS = 40000; // the server answers a waiting changes poll within 25 s
const CALENDAR_REFRESH_MS = 30 * 60 * 1000;
const MAX_BACKOFF_MS = 30000;

const $ = id => document.getElementById(id);
const views = {signIn: $('sign-in'), desk: $('desk'), admin: $('admin'), nav: $('nav')};
const queueList = $('queue-list');
const ticketSection = $('ticket');
const replyBox = $('reply');

let session = null; // {token, me, departments, seq, controllers, timers}; null when signed out
let tickets = []; // the queue as last read
let knownTicketIds = null; // ids seen in earlier reads, to mark new arrivals
let openTicket = null; // the ticket shown, with its transcript
let openTicketId = null;
let queueScroll = 0; // how far a phone's reader had scrolled the list before opening a ticket
const drafts = new Map(); // ticket id → unsent reply text
const problems = {poll: null, queue: null};

const {call, get, post, download} = createApi(() => session, message => signOut(message));
const showAdminTab = adminPages({get, post, download, departments: () => session.departments,
  reloadDepartments: () => loadDepartments()});

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
    await begin(body.token);
  } catch (e) {
    showError($('sign-in-error'), '网络连接中断，请稍后再试');
  } finally {
    button.disabled = false;
  }
}

/** Starts a session with a token: who am I, the departments, the queue, and the live updates. */
async function begin(token) {
  const current = {token, me: null, departments: [], seq: 0, controllers: new Set(), timers: []};
  session = current;
  try {
    current.me = await get('/api/v1/me');
  } catch (e) {
    if (current !== session) {
      return;
    }
    showSignIn(e.message);
    return;
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
  if (delivery.state === 'pending' && delivery.error) {
    return el('p', {class: 'delivery retrying'}, '还没送达，正在自动重试（上次：', delivery.error, '）');
  }
  return el('p', {class: 'delivery ' + (delivery.state === 'sent' ? 'sent' : 'pending')},
      label(DELIVERY, delivery.state));
}

function attachmentItem(attachment) {
  const name = typeof attachment.name === 'string' && attachment.name ? attachment.name : '附件';
  const path = sameSitePath(attachment.url);
  const what = [attachment.type, sizeText(attachment.size)].filter(Boolean).join('，');
  if (!path) {
    const why = typeof attachment.error === 'string' && attachment.error ? '：' + attachment.error : '';
    return el('li', {class: 'attachment-' + (attachment.state || 'missing')}, name, what ? '（' + what + '）' : '',
        el('span', {class: attachment.state === 'pending' ? 'muted' : 'warn-text'},
            ' ' + label(FILE_STATES, attachment.state || 'missing') + why));
  }
  const button = el('button', {type: 'button', class: 'link download'}, '下载 ', name);
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
      failures++;
      const delay = backoff(failures);
      setProblem('poll', '实时更新中断，' + Math.ceil(delay / 1000) + ' 秒后重新连接…');
      await pause(current, delay);
    }
  }
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
  begin(saved);
} else {
  showSignIn(null);
}
