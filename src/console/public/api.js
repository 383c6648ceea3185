/* global sessionStorage */
// Calls to the HTTP API with the analyst key of this tab, and API errors told in Chinese.
import { ERRORS, SYNTAX } from './labels.js';

export const KEY = 'voc.apiKey';
let unauthorized = () => {};

/** What to do when the key stops working (sign out). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** An API error as the analyst should read it: what is wrong and, for a query, where. */
export function describeError(status, body) {
  const code = body.error?.code;
  const details = body.error?.details ?? [];
  const syntax = details.find((d) => d.where === 'q' && d.reason);
  if (syntax) {
    const what = SYNTAX[syntax.reason] ?? '无法识别';
    const where = Number.isInteger(syntax.position) ? `第 ${syntax.position + 1} 个字符处` : '';
    return `查询语法有误:${where}${what}`;
  }
  const base = ERRORS[code] ?? (status >= 500 ? '服务出错,请稍后重试' : '请求失败');
  const fields = details.map((d) => d.where?.replace(/^(body|query)\./, '')).filter(Boolean);
  return fields.length ? `${base}(${[...new Set(fields)].join('、')})` : base;
}

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}`, ...(init.headers ?? {}) },
  });
  if (res.status === 401) {
    unauthorized(ERRORS.unauthorized);
    throw new ApiError(ERRORS.unauthorized, 401, {});
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new ApiError(describeError(res.status, body), res.status, body);
  }
  return res;
}

export function postJson(path, body) {
  return api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
