// Building the page from data, as text only: el() never parses HTML, and links made from server data go through
// safeHref or sameSitePath. Times are shown in China's time zone, where the 315 promise is kept.

export const ZONE = 'Asia/Shanghai';

/**
 * Makes an element. Strings among the children become text nodes; "text" sets textContent; "on…" adds a listener;
 * other props become attributes. Never pass server data as an href without safeHref.
 */
export function el(tag, props, ...children) {
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
export function safeHref(text) {
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
export function sameSitePath(text) {
  if (typeof text !== 'string' || !text.startsWith('/') || text.startsWith('//')) {
    return null;
  }
  const url = new URL(text, location.origin);
  return url.origin === location.origin ? url.pathname + url.search : null;
}

export function show(node, visible) {
  node.hidden = !visible;
}

export function showError(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

const TIME = new Intl.DateTimeFormat('zh-CN', {timeZone: ZONE, month: 'numeric', day: 'numeric',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
const FULL_TIME = new Intl.DateTimeFormat('zh-CN', {timeZone: ZONE, year: 'numeric', month: 'numeric',
  day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});

export function timeText(iso, full) {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? (full ? FULL_TIME : TIME).format(at) : '—';
}

/** "2天3小时", "1小时5分", "12分05秒": coarse when far, to the second when close. */
export function durationText(ms) {
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

export function sizeText(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) {
    return '';
  }
  return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
}

