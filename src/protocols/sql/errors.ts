/**
 * Query failures as the error table shows them: PostgreSQL's SQLSTATE (class = its first two
 * characters: '23' integrity, '40' serialization/deadlock, '42' syntax/undefined object, '57'
 * operator intervention, '08' connection). Network failures get class 08 codes, as libpq reports
 * them: '08001' could not connect, '08006' connection lost.
 */
export interface SqlFailure {
  sqlstate: string;
  sqlstateClass: string;
  /** Short message: the server's, or the network error's. */
  message: string;
}

const NET_CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

export function classifySqlError(err: unknown): SqlFailure {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (/^[0-9A-Z]{5}$/.test(code)) return { sqlstate: code, sqlstateClass: code.slice(0, 2), message };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /terminated|ended|not queryable|closed/i.test(message)) return { sqlstate: '08006', sqlstateClass: '08', message: code ? `${code} ${message}` : message };
  if (NET_CONNECT.has(code) || /timeout expired|could not connect|^connect /i.test(message)) return { sqlstate: '08001', sqlstateClass: '08', message: code ? `${code} ${message}` : message };
  return { sqlstate: 'XX000', sqlstateClass: 'XX', message };
}

/** The error a failed query rejects with: the driver's, with the SQLSTATE in `code` and the statement named. */
export class SqlError extends Error {
  readonly code: string;
  readonly sqlstateClass: string;
  constructor(f: SqlFailure, statement: string, cause: unknown) {
    super(`${statement}: ${f.message} (SQLSTATE ${f.sqlstate})`, { cause });
    this.name = 'SqlError';
    this.code = f.sqlstate;
    this.sqlstateClass = f.sqlstateClass;
  }
}
