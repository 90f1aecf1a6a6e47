// The deadlines of the 315 promise as the queue and a ticket show them: live countdowns with a colour and a word.
import {el, durationText, timeText} from './dom.js';
import {MILESTONES} from './words.js';

// At risk ("临近"), as the server's deadline watch and the group alerts judge it: for the respond milestone, less
// than 10 minutes left (its span may run overnight, so a share of it would alarm at night); for settle and
// feedback, less than a quarter of the span from the ticket's creation to the deadline. Breached ("已超时"): the deadline
// has passed with the milestone unmet, or the server lists it under "breached". Each state has a colour and a word.
//   created 09:00, respond due 09:30: 09:19 正常 (11 min left), 09:21 临近 (9 min), 09:31 已超时.
//   created 17:20, respond due 09:20 the next morning: 06:00 正常, 09:11 临近.
//   created Mon 10:00, settle due Tue 10:00 (24 h): Tue 03:59 正常, Tue 04:01 临近 (under 6 h left).
const AT_RISK_SHARE = 0.25;
const RESPOND_AT_RISK_MS = 10 * 60 * 1000;

const countdowns = new WeakMap(); // countdown element → {ticket, name}

export function milestoneNames(ticket) {
  const due = ticket.due || {};
  return ['respond', 'settle', 'feedback'].filter(name => typeof due[name] === 'string');
}

/** Where one milestone stands at {@code now}: met, met late, ok, at risk or breached, and the time left. */
export function milestoneState(ticket, name, now) {
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
  const atRisk = name === 'respond' ? left < RESPOND_AT_RISK_MS : left < span * AT_RISK_SHARE;
  return {name, due, state: atRisk ? 'risk' : 'ok', left};
}

/** The unmet milestone due first, or null when every milestone is met or the ticket is resolved. */
export function nextMilestone(ticket, now) {
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
export function countdown(ticket, name) {
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

export function tick() {
  const now = Date.now();
  document.querySelectorAll('.countdown').forEach(node => drawCountdown(node, now));
}
