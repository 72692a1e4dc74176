import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { TenantId } from '../registry/schema.ts';
import { StorageError } from './errors.ts';

/**
 * S3-compatible object storage for tenant data (backups now, course media next), one bucket for
 * all tenants. Every key lives under `<prefix>tenants/<tenantId>/`: a `TenantObjectStore` is the
 * only way to address objects, and it accepts only plain relative paths (no `..`, no empty or
 * dot segments, no leading slash), so nothing one tenant's store is given can name another
 * tenant's object. Keys it lists are checked against its prefix as well.
 */
export interface ObjectStorageConfig {
  readonly bucket: string;
  /** Prepended to every key, e.g. `atrium/` (empty or ending in `/`). */
  readonly prefix?: string;
  /** Omitted for AWS itself; an S3-compatible server's URL otherwise. */
  readonly endpoint?: string;
  readonly region: string;
  /** Omitted: the SDK's default chain (environment, IRSA web identity, instance profile). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Path-style addressing (`endpoint/bucket/key`): what gateways such as versitygw need. */
  readonly forcePathStyle?: boolean;
}

/** A path segment: starts with a letter or digit, so never `.`, `..` or hidden. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=-]{0,127}$/;
const MAX_KEY_BYTES = 1024;

function checkRelativePath(path: string, tenantId: string, allowTrailingSlash: boolean): void {
  const body = allowTrailingSlash && path.endsWith('/') ? path.slice(0, -1) : path;
  const ok = body.length > 0 && body.split('/').every((segment) => SEGMENT.test(segment));
  if (!ok) throw new StorageError('KEY_OUTSIDE_TENANT', { tenant: tenantId, key: JSON.stringify(path) });
}

export class ObjectStorage {
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  readonly #ownsClient: boolean;

  /** `client` shares one S3Client (its sockets) between stores; by default one is built from `config`. */
  constructor(config: ObjectStorageConfig, client?: S3Client) {
    const prefix = config.prefix ?? '';
    if (prefix !== '') checkRelativePath(prefix, '(prefix)', true);
    if (prefix !== '' && !prefix.endsWith('/')) {
      throw new StorageError('INVALID_CONFIG', { reason: 'prefix must be empty or end with /' });
    }
    if (!config.bucket) throw new StorageError('INVALID_CONFIG', { reason: 'bucket is required' });
    this.bucket = config.bucket;
    this.prefix = prefix;
    this.#ownsClient = client === undefined;
    this.client =
      client ??
      new S3Client({
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        ...(config.credentials ? { credentials: config.credentials } : {}),
        forcePathStyle: config.forcePathStyle ?? false,
      });
  }

  forTenant(tenantId: string): TenantObjectStore {
    if (!TenantId.safeParse(tenantId).success) {
      throw new StorageError('INVALID_TENANT_ID', { tenant: JSON.stringify(tenantId) });
    }
    return new TenantObjectStore(this, tenantId, `${this.prefix}tenants/${tenantId}/`);
  }

  close(): void {
    if (this.#ownsClient) this.client.destroy();
  }
}

export interface UploadOptions {
  /** Bytes per multipart part (at least 5 MiB, S3's minimum). */
  readonly partSize?: number;
  /** Parts in flight at once; the upload buffers at most queueSize × partSize bytes. */
  readonly queueSize?: number;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

/** One tenant's view of the bucket: every key given is relative to `root`. */
export class TenantObjectStore {
  readonly storage: ObjectStorage;
  readonly tenantId: string;
  /** `<prefix>tenants/<tenantId>/` */
  readonly root: string;

  constructor(storage: ObjectStorage, tenantId: string, root: string) {
    this.storage = storage;
    this.tenantId = tenantId;
    this.root = root;
  }

  /** The bucket key of a relative path; throws KEY_OUTSIDE_TENANT for anything but a plain path. */
  keyFor(path: string): string {
    checkRelativePath(path, this.tenantId, false);
    return this.#checked(`${this.root}${path}`);
  }

  async put(path: string, body: string | Uint8Array, contentType?: string): Promise<void> {
    await this.storage.client.send(
      new PutObjectCommand({
        Bucket: this.storage.bucket,
        Key: this.keyFor(path),
        Body: body,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  /** A streamed multipart upload (a single PUT when the body is smaller than one part). */
  async upload(path: string, body: Readable, options: UploadOptions = {}): Promise<void> {
    const upload = new Upload({
      client: this.storage.client,
      params: {
        Bucket: this.storage.bucket,
        Key: this.keyFor(path),
        Body: body,
        ...(options.contentType ? { ContentType: options.contentType } : {}),
      },
      partSize: options.partSize ?? 8 * 1024 * 1024,
      queueSize: options.queueSize ?? 1,
      leavePartsOnError: false,
    });
    const abort = () => void upload.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await upload.done();
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /** The object's bytes as a stream; OBJECT_NOT_FOUND when there is none. */
  async get(path: string, signal?: AbortSignal): Promise<Readable> {
    const key = this.keyFor(path);
    try {
      const answer = await this.storage.client.send(
        new GetObjectCommand({ Bucket: this.storage.bucket, Key: key }),
        signal ? { abortSignal: signal } : {},
      );
      return answer.Body as Readable;
    } catch (error) {
      throw this.#notFound(error, path);
    }
  }

  /** The object as text, or undefined when there is none. */
  async getText(path: string): Promise<string | undefined> {
    try {
      const body = await this.get(path);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      if (error instanceof StorageError && error.code === 'OBJECT_NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** The object's size, or undefined when there is none. */
  async size(path: string): Promise<number | undefined> {
    try {
      const head = await this.storage.client.send(
        new HeadObjectCommand({ Bucket: this.storage.bucket, Key: this.keyFor(path) }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      const mapped = this.#notFound(error, path);
      if (mapped instanceof StorageError) return undefined;
      throw mapped;
    }
  }

  /**
   * Relative keys under `path` (a folder, ending in `/`). With `folders`, only the next level's
   * folder names (S3's common prefixes), e.g. the backup ids under `backups/`.
   */
  async list(path: string, options: { folders?: boolean } = {}): Promise<string[]> {
    checkRelativePath(path, this.tenantId, true);
    const prefix = this.#checked(`${this.root}${path}`);
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.storage.client.send(
        new ListObjectsV2Command({
          Bucket: this.storage.bucket,
          Prefix: prefix,
          ...(options.folders ? { Delimiter: '/' } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      const keys = options.folders
        ? (page.CommonPrefixes ?? []).map((p) => p.Prefix ?? '')
        : (page.Contents ?? []).map((o) => o.Key ?? '');
      for (const key of keys) found.push(this.#checked(key).slice(prefix.length).replace(/\/$/, ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  async delete(...paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += 1000) {
      const batch = paths.slice(i, i + 1000);
      if (batch.length === 0) continue;
      await this.storage.client.send(
        new DeleteObjectsCommand({
          Bucket: this.storage.bucket,
          Delete: { Objects: batch.map((path) => ({ Key: this.keyFor(path) })), Quiet: true },
        }),
      );
    }
  }

  /** Deletes every object under a folder (`path` ending in `/`). */
  async deleteFolder(path: string): Promise<void> {
    const keys = await this.list(path);
    await this.delete(...keys.map((key) => `${path}${key}`));
  }

  /** The last line of defence: whatever was built or listed must lie under this tenant's root. */
  #checked(key: string): string {
    if (!key.startsWith(this.root) || key.length === this.root.length) {
      throw new StorageError('KEY_OUTSIDE_TENANT', { tenant: this.tenantId, key: JSON.stringify(key) });
    }
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      throw new StorageError('KEY_OUTSIDE_TENANT', { tenant: this.tenantId, reason: 'key too long' });
    }
    return key;
  }

  #notFound(error: unknown, path: string): unknown {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (error instanceof NoSuchKey || error instanceof NotFound || status === 404) {
      return new StorageError('OBJECT_NOT_FOUND', { tenant: this.tenantId, key: path }, { cause: error });
    }
    return error;
  }
}
