// Talking to the service: every request carries the sign-in token as "Authorization: Bearer"; a 401 ends the
// session; other failures become an ApiError with the server's own message.
import {el} from './dom.js';

const REQUEST_TIMEOUT_MS = 20000;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function errorOf(response) {
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

/**
 * Requests for the session {@code currentSession()} returns ({token, controllers}, or null when signed out);
 * {@code onExpired(message)} is called once when the server no longer accepts the token.
 */
export function createApi(currentSession, onExpired) {
  /** One request with the token. A 401 signs out; other failures throw an ApiError with the server's message. */
  async function call(method, path, body, options = {}) {
    const current = currentSession();
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
      throw new ApiError(0, 'offline', current === currentSession() ? '网络连接中断，请稍后再试' : '已退出');
    } finally {
      clearTimeout(timer);
      current.controllers.delete(abort);
    }
    if (response.status === 401) {
      if (current === currentSession()) {
        onExpired('登录已失效，请重新登录');
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

  return {call, get, post, download};
}

/** Runs fn now, or once more after the run in progress, never two at a time. */
export function coalesced(fn) {
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
