import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { z } from 'zod';
import { BackupError } from './errors.ts';

/**
 * Encryption of a backup object: AES-256-GCM in chunks, so it streams with bounded memory and a
 * reader releases no byte it has not authenticated.
 *
 *   object  = MAGIC(8) | headerLength(u16) | header(JSON) | frame* (the last one flagged final)
 *   frame   = flags(u8) | length(u32) | nonce(12) | ciphertext(length) | tag(16)
 *   AAD     = SHA-256(MAGIC | headerLength | header) | index(u64) | flags(u8) | length(u32)
 *
 * The data key is derived per backup (HKDF-SHA256 over the Secret's key, a random salt from the
 * header, and `tenantId/backupId`), so nonces never repeat under one key across backups and an
 * object copied into another tenant's or backup's place does not decrypt. Each chunk has its own
 * random nonce and tag; its index and the final flag are authenticated, so a reordered, dropped,
 * altered or truncated chunk fails, and so do bytes after the final one.
 */
export interface BackupKey {
  /** Names the key in the manifest, so keys can rotate: restores look it up among those given. */
  readonly kid: string;
  /** 32 random bytes, from a Secret. */
  readonly key: Uint8Array;
}

const MAGIC = Buffer.from('ATRBKUP\x01', 'latin1');
const NONCE = 12;
const TAG = 16;
const FRAME_HEAD = 1 + 4 + NONCE;
const FINAL = 0x01;
/** Plaintext bytes per chunk written; a reader accepts up to MAX_CHUNK_BYTES (bounded memory). */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

export const ENCRYPTION_ALGORITHM = 'AES-256-GCM/chunked-v1';

const KID = /^[A-Za-z0-9._-]{1,64}$/;

export function checkBackupKey(key: BackupKey): void {
  if (!KID.test(key.kid) || key.key.byteLength !== 32) {
    throw new BackupError('INVALID_KEY', { kid: KID.test(key.kid) ? key.kid : '(invalid)' });
  }
}

/** A value that tells a wrong key from an altered backup without revealing anything of the key. */
export function keyCheckValue(key: BackupKey): string {
  return createHmac('sha256', key.key)
    .update('atrium-backup/v1 key check')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** Finds the key a backup was written with among those given; WRONG_KEY when only its kid matches. */
export function selectKey(keys: readonly BackupKey[], kid: string, keyCheck: string): BackupKey {
  const key = keys.find((k) => k.kid === kid);
  if (!key) throw new BackupError('KEY_UNKNOWN', { kid });
  checkBackupKey(key);
  const expected = Buffer.from(keyCheckValue(key));
  const given = Buffer.from(keyCheck);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new BackupError('WRONG_KEY', { kid });
  }
  return key;
}

export interface BackupIdentity {
  readonly tenantId: string;
  readonly backupId: string;
}

export function deriveKey(
  key: BackupKey,
  purpose: 'data' | 'manifest',
  id: BackupIdentity,
  salt: Buffer,
): Buffer {
  const info = `atrium-backup/v1 ${purpose} ${id.tenantId}/${id.backupId}`;
  return Buffer.from(hkdfSync('sha256', key.key, salt, info, 32));
}

const StreamHeader = z.strictObject({
  format: z.literal('atrium-backup/v1'),
  kid: z.string(),
  tenantId: z.string(),
  backupId: z.string(),
  salt: z.string(),
  chunkBytes: z.number().int().positive().max(MAX_CHUNK_BYTES),
});
type StreamHeader = z.infer<typeof StreamHeader>;

function aad(headerHash: Buffer, index: bigint, flags: number, length: number): Buffer {
  const tail = Buffer.alloc(8 + 1 + 4);
  tail.writeBigUInt64BE(index, 0);
  tail.writeUInt8(flags, 8);
  tail.writeUInt32BE(length, 9);
  return Buffer.concat([headerHash, tail]);
}

/** Plaintext in, the encrypted object out. */
export class ChunkEncryptor extends Transform {
  readonly #key: Buffer;
  readonly #chunkBytes: number;
  readonly #header: Buffer;
  readonly #headerHash: Buffer;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #index = 0n;
  #headerSent = false;

  constructor(key: BackupKey, id: BackupIdentity, chunkBytes = DEFAULT_CHUNK_BYTES) {
    super();
    checkBackupKey(key);
    const salt = randomBytes(32);
    const json = Buffer.from(
      JSON.stringify({
        format: 'atrium-backup/v1',
        kid: key.kid,
        tenantId: id.tenantId,
        backupId: id.backupId,
        salt: salt.toString('base64'),
        chunkBytes,
      } satisfies StreamHeader),
    );
    const length = Buffer.alloc(2);
    length.writeUInt16BE(json.length);
    this.#header = Buffer.concat([MAGIC, length, json]);
    this.#headerHash = createHash('sha256').update(this.#header).digest();
    this.#key = deriveKey(key, 'data', id, salt);
    this.#chunkBytes = chunkBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#sendHeader();
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    // A chunk goes out only once more follows it: the last one must carry the final flag.
    while (this.#pendingBytes > this.#chunkBytes) {
      const all = Buffer.concat(this.#pending);
      this.push(this.#seal(all.subarray(0, this.#chunkBytes), 0));
      const rest = all.subarray(this.#chunkBytes);
      this.#pending = [rest];
      this.#pendingBytes = rest.length;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.#sendHeader();
    this.push(this.#seal(Buffer.concat(this.#pending), FINAL));
    this.#pending = [];
    callback();
  }

  #sendHeader(): void {
    if (this.#headerSent) return;
    this.#headerSent = true;
    this.push(this.#header);
  }

  #seal(plaintext: Buffer, flags: number): Buffer {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(aad(this.#headerHash, this.#index, flags, plaintext.length));
    const head = Buffer.alloc(5);
    head.writeUInt8(flags, 0);
    head.writeUInt32BE(plaintext.length, 1);
    const sealed = Buffer.concat([
      head,
      nonce,
      cipher.update(plaintext),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    this.#index += 1n;
    return sealed;
  }
}

/**
 * The encrypted object in, plaintext out — each chunk only once its tag has been verified. The
 * key is derived from the identity the caller expects, not the one the header claims.
 */
export class ChunkDecryptor extends Transform {
  readonly #key: BackupKey;
  readonly #id: BackupIdentity;
  #buffer: Buffer = Buffer.alloc(0);
  /** Input not yet joined to #buffer: joined only once the next header or frame is complete. */
  #incoming: Buffer[] = [];
  #incomingBytes = 0;
  #need = MAGIC.length + 2;
  #header: StreamHeader | undefined;
  #headerHash: Buffer | undefined;
  #dataKey: Buffer | undefined;
  #index = 0n;
  #finished = false;

  constructor(key: BackupKey, id: BackupIdentity) {
    super();
    checkBackupKey(key);
    this.#key = key;
    this.#id = id;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#incoming.push(chunk);
    this.#incomingBytes += chunk.length;
    if (this.#buffer.length + this.#incomingBytes < this.#need) {
      callback();
      return;
    }
    this.#buffer = Buffer.concat([this.#buffer, ...this.#incoming]);
    this.#incoming = [];
    this.#incomingBytes = 0;
    try {
      this.#drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#incomingBytes > 0) {
      this.#buffer = Buffer.concat([this.#buffer, ...this.#incoming]);
      this.#incoming = [];
      this.#incomingBytes = 0;
      try {
        this.#drain();
      } catch (error) {
        callback(error as Error);
        return;
      }
    }
    if (!this.#finished) {
      callback(new BackupError('OBJECT_TRUNCATED', { ...this.#id, chunks: Number(this.#index) }));
      return;
    }
    callback();
  }

  #drain(): void {
    if (!this.#header && !this.#readHeader()) return;
    const header = this.#header as StreamHeader;
    this.#need = FRAME_HEAD;
    while (this.#buffer.length >= FRAME_HEAD) {
      if (this.#finished) throw this.#malformed('bytes after the final chunk');
      const flags = this.#buffer.readUInt8(0);
      const length = this.#buffer.readUInt32BE(1);
      if ((flags & ~FINAL) !== 0 || length > header.chunkBytes) throw this.#malformed('bad frame header');
      const total = FRAME_HEAD + length + TAG;
      if (this.#buffer.length < total) {
        this.#need = total;
        return;
      }
      const nonce = this.#buffer.subarray(5, FRAME_HEAD);
      const ciphertext = this.#buffer.subarray(FRAME_HEAD, FRAME_HEAD + length);
      const tag = this.#buffer.subarray(FRAME_HEAD + length, total);
      const decipher = createDecipheriv('aes-256-gcm', this.#dataKey as Buffer, nonce);
      decipher.setAAD(aad(this.#headerHash as Buffer, this.#index, flags, length));
      decipher.setAuthTag(tag);
      let plaintext: Buffer;
      try {
        plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch (cause) {
        throw new BackupError('OBJECT_REJECTED', { ...this.#id, chunk: Number(this.#index) }, { cause });
      }
      this.#buffer = this.#buffer.subarray(total);
      this.#index += 1n;
      if (flags & FINAL) this.#finished = true;
      if (plaintext.length > 0) this.push(plaintext);
      this.#need = FRAME_HEAD;
    }
    if (this.#finished && this.#buffer.length > 0) throw this.#malformed('bytes after the final chunk');
  }

  #readHeader(): boolean {
    if (this.#buffer.length < MAGIC.length + 2) return false;
    if (!this.#buffer.subarray(0, MAGIC.length).equals(MAGIC)) throw this.#malformed('not a backup object');
    const end = MAGIC.length + 2 + this.#buffer.readUInt16BE(MAGIC.length);
    if (this.#buffer.length < end) {
      this.#need = end;
      return false;
    }
    const bytes = this.#buffer.subarray(0, end);
    let header: StreamHeader;
    try {
      header = StreamHeader.parse(JSON.parse(bytes.subarray(MAGIC.length + 2).toString('utf8')));
    } catch (cause) {
      throw this.#malformed('unreadable header', cause);
    }
    // The header is authenticated by every chunk's AAD; a claim that differs from what the caller
    // expects is refused here with a clearer message than a failed tag.
    if (header.tenantId !== this.#id.tenantId || header.backupId !== this.#id.backupId) {
      throw new BackupError('OBJECT_REJECTED', { ...this.#id, reason: 'written for another backup' });
    }
    if (header.kid !== this.#key.kid) throw new BackupError('KEY_UNKNOWN', { kid: header.kid });
    this.#header = header;
    this.#headerHash = createHash('sha256').update(bytes).digest();
    this.#dataKey = deriveKey(this.#key, 'data', this.#id, Buffer.from(header.salt, 'base64'));
    this.#buffer = this.#buffer.subarray(end);
    return true;
  }

  #malformed(reason: string, cause?: unknown): BackupError {
    return new BackupError('OBJECT_MALFORMED', { ...this.#id, reason }, cause ? { cause } : undefined);
  }
}
