// Who may use the control surface (/__admin/). It can reset, read secrets (state snapshots hold the
// signing key) and create accounts, so it is open only where nobody else can reach it: on a
// loopback bind. Anywhere else it needs a token, or it is off.
const { timingSafeEqual, createHash } = process.getBuiltinModule('node:crypto');

export interface AdminAccessOptions {
  /** `--no-admin`: off whatever the bind. */
  disabled?: boolean;
  /** `--admin-token`: required as `Authorization: Bearer <token>`; enables the surface on any bind. */
  token?: string;
}

export type AdminAccess = { enabled: false; reason: string } | { enabled: true; token: string | undefined };

/**
 * The usual loopback binds: 127.0.0.1, ::1 (and its IPv4-mapped form) and `localhost`. Other
 * 127.x addresses count as not loopback, the cautious side: such a bind is usually a deliberate
 * setup (a container, a forwarded port), and the surface then asks for a token.
 */
function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return ['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'].includes(bare);
}

export function resolveAdminAccess(host: string, options: AdminAccessOptions = {}): AdminAccess {
  if (options.disabled) return { enabled: false, reason: 'turned off with --no-admin' };
  if (options.token !== undefined) return { enabled: true, token: options.token };
  if (isLoopbackHost(host)) return { enabled: true, token: undefined };
  return { enabled: false, reason: `${host} is not a loopback address; give --admin-token to turn it on` };
}

/** True when the request may use the surface: no token configured, or the right Bearer token (compared in constant time). */
export function isAuthorized(access: { token: string | undefined }, authorization: string | undefined): boolean {
  if (access.token === undefined) return true;
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (match === null) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(access.token));
}
