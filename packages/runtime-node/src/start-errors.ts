import { SettingsError } from './settings';

const codeOf = (e: unknown) =>
  typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Where a PostgreSQL URL points, without its user and password: host, port and database. */
function postgresTarget(url: string) {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'postgres';
  return { at: `${u.hostname || 'localhost'}:${u.port || '5432'}`, database };
}

/**
 * A failure to open or migrate the database, as the one line `npm start` prints: the cause and that
 * DATABASE_URL is what to change. Failures it does not recognise come back as they are.
 */
export function databaseError(e: unknown, url: string): unknown {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    const code = codeOf(e);
    if (!code.startsWith('SQLITE_') && !['EACCES', 'EPERM', 'ENOENT', 'EROFS', 'ENOTDIR'].includes(code))
      return e;
    return new SettingsError(
      `DATABASE_URL: cannot open the SQLite database ${url.slice('file:'.length)} (${messageOf(e)}); fix the path or its permissions, or set DATABASE_URL to another file`,
    );
  }
  const { at, database } = postgresTarget(url);
  switch (codeOf(e)) {
    case '3D000':
      return new SettingsError(
        `DATABASE_URL: PostgreSQL at ${at} has no database "${database}"; create it (createdb ${database}) or set DATABASE_URL to one that exists`,
      );
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new SettingsError(
        `DATABASE_URL: cannot connect to PostgreSQL at ${at} (${codeOf(e)}); start it, or fix the host and port in DATABASE_URL`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SettingsError(
        `DATABASE_URL: cannot resolve the PostgreSQL host of ${at} (${codeOf(e)}); fix the host in DATABASE_URL`,
      );
    case '28000':
    case '28P01':
      return new SettingsError(
        `DATABASE_URL: PostgreSQL at ${at} refused the sign-in (${messageOf(e)}); fix the user or password in DATABASE_URL`,
      );
    default:
      return e;
  }
}

/** A failure to listen, as the one line `npm start` prints: the cause and that PORT or HOST is what to change. */
export function listenError(e: unknown, host: string, port: number): unknown {
  switch (codeOf(e)) {
    case 'EADDRINUSE':
      return new SettingsError(
        `PORT: ${host}:${port} is already in use; stop what listens there or set PORT to a free port`,
      );
    case 'EACCES':
      return new SettingsError(
        `PORT: not allowed to listen on ${host}:${port} (ports below 1024 need privileges); set PORT to another port`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SettingsError(
        `HOST: cannot listen on ${host} (${codeOf(e)}: not an address of this machine); set HOST to one, such as 127.0.0.1 or 0.0.0.0`,
      );
    default:
      return e;
  }
}
