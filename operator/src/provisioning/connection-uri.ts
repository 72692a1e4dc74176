/**
 * MongoDB connection strings. Only the host list and non-credential options of an admin URI are
 * reused for a tenant's URI; credentials are URL-encoded, so any generated password is safe.
 */
const URI = /^(mongodb(?:\+srv)?):\/\/(?:[^@/]*@)?([^/?]+)\/?([^?]*)(?:\?(.*))?$/;

export interface ParsedUri {
  readonly scheme: 'mongodb' | 'mongodb+srv';
  readonly hosts: string;
  readonly options: URLSearchParams;
}

export function parseMongoUri(uri: string): ParsedUri {
  const match = URI.exec(uri);
  // The message never quotes the URI: it may hold a password.
  if (!match) throw new Error('not a mongodb:// or mongodb+srv:// connection string');
  return {
    scheme: match[1] === 'mongodb+srv' ? 'mongodb+srv' : 'mongodb',
    hosts: match[2] ?? '',
    options: new URLSearchParams(match[4] ?? ''),
  };
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
  const admin = parseMongoUri(parts.adminUri);
  const options = new URLSearchParams(admin.options);
  options.delete('authSource');
  options.delete('authMechanism');
  options.set('authSource', parts.database);
  const credentials = `${encodeURIComponent(parts.username)}:${encodeURIComponent(parts.password)}`;
  return `${admin.scheme}://${credentials}@${parts.hosts ?? admin.hosts}/${encodeURIComponent(parts.database)}?${options}`;
}
