import { ConnectionString } from 'mongodb-connection-string-url';

/**
 * MongoDB connection strings, parsed by the driver's own parser. Only the host list and
 * non-credential options of an admin URI are reused for a tenant's URI; credentials are
 * URL-encoded, so any generated password is safe.
 */
export interface ParsedUri {
  readonly scheme: 'mongodb' | 'mongodb+srv';
  /** host[:port][,…] as written. */
  readonly hosts: string;
  readonly options: URLSearchParams;
}

function parse(uri: string): ConnectionString {
  try {
    return new ConnectionString(uri);
  } catch (error) {
    // The message never quotes the URI: it may hold a password.
    throw new Error('not a mongodb:// or mongodb+srv:// connection string', { cause: error });
  }
}

export function parseMongoUri(uri: string): ParsedUri {
  const parsed = parse(uri);
  return {
    scheme: parsed.isSRV ? 'mongodb+srv' : 'mongodb',
    hosts: parsed.hosts.join(','),
    options: new URLSearchParams(parsed.searchParams),
  };
}

/** Whether two URIs name the same set of servers (in any order, whatever their credentials). */
export function sameServers(a: string, b: string): boolean {
  const hosts = (uri: string) =>
    parse(uri)
      .hosts.map((h) => h.toLowerCase())
      .sort()
      .join(',');
  return hosts(a) === hosts(b);
}

export interface TenantUriParts {
  readonly adminUri: string;
  /** host[:port][,…] tenants should use instead of the admin URI's. */
  readonly hosts?: string | undefined;
  readonly username: string;
  readonly password: string;
  readonly database: string;
}

export function buildTenantUri(parts: TenantUriParts): string {
  const uri = parse(parts.adminUri);
  if (parts.hosts !== undefined) uri.hosts = parts.hosts.split(',');
  uri.username = encodeURIComponent(parts.username);
  uri.password = encodeURIComponent(parts.password);
  uri.pathname = `/${encodeURIComponent(parts.database)}`;
  uri.searchParams.delete('authSource');
  uri.searchParams.delete('authMechanism');
  uri.searchParams.set('authSource', parts.database);
  return uri.toString();
}
