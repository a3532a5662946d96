/*
 * A cluster's objects in its state backend: get, put, delete and list by name (`lock.json`, `tls/x.key`), and the
 * one write the lock needs, create-if-absent. Locally files under the backend's folder; in S3 objects under the
 * cluster's key prefix, always encrypted (SSE-KMS with state.kms_key_id, else SSE-S3).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { UserError } from '@ocp-sts/toolchain';
import { awsErrorCode, awsStatus, countCalls, explainAwsError, isNotFound, s3ClientConfig } from '@ocp-sts/aws';
import { LOCAL_LAYOUT_MARKER, STATE_GROUPS, type LocalStateLocation, type S3StateLocation } from './location.ts';

export interface ObjectStore {
  /** Where the objects are, for messages: `s3://bucket/prefix/cluster/` or a workspace-relative folder. */
  readonly where: string;
  /** The object's content; undefined when there is none. */
  get(name: string): Promise<Buffer | undefined>;
  /** Writes (or replaces) the object. */
  put(name: string, body: string | Uint8Array): Promise<void>;
  /** Writes the object only if there is none by that name; false when there is one (nothing written). */
  create(name: string, body: string | Uint8Array): Promise<boolean>;
  /** Removes the object; no error when there is none. */
  delete(name: string): Promise<void>;
  /** The names of the cluster's objects, sorted (locally: all but the signing key pair's, see LocalObjectStore). */
  list(): Promise<string[]>;
  /** The local backend only: the file that is the object (the kept signing key pair needs no copy of itself). */
  localPath?(name: string): string;
}

/** Names are relative paths of plain segments: nothing can escape the cluster's folder or prefix. */
function checkName(name: string): void {
  const segments = name.split('/');
  if (!name || segments.some((s) => !s || s === '.' || s === '..')) throw new Error(`not an object name: "${name}"`);
}

/** Runs `fn` now (the local store's work is synchronous), as a promise: what it throws becomes a rejection. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(fn());
  });
}

const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_DIR = 0o700;

export class LocalObjectStore implements ObjectStore {
  readonly where: string;
  private readonly roots: { group: string | undefined; dir: string }[];

  constructor(
    location: Pick<LocalStateLocation, 'objectsDir'> & Partial<Pick<LocalStateLocation, 'signingKeyDir'>>,
    show: (path: string) => string = (p) => p,
  ) {
    // The signing key pair stays where users have always kept it (location.ts): locally, its objects are those files.
    this.roots = [
      ...(location.signingKeyDir ? [{ group: STATE_GROUPS.signingKey, dir: location.signingKeyDir }] : []),
      { group: undefined, dir: location.objectsDir },
    ];
    this.where = `${show(location.objectsDir)}/`;
  }

  /** The file that holds the object. */
  localPath(name: string): string {
    checkName(name);
    const [first, ...rest] = name.split('/');
    const root = this.roots.find((r) => r.group === first && rest.length > 0);
    return root ? join(root.dir, ...rest) : join(this.objectsDir(), first!, ...rest);
  }

  private objectsDir(): string {
    return this.roots[this.roots.length - 1]!.dir;
  }

  private path(name: string): string {
    return this.localPath(name);
  }

  /** The path to write an object to, its folders made (owner-only: objects may be secrets). */
  private writable(name: string): string {
    const path = this.path(name);
    mkdirSync(dirname(path), { recursive: true, mode: OWNER_ONLY_DIR });
    chmodSync(dirname(path), OWNER_ONLY_DIR);
    return path;
  }

  get(name: string): Promise<Buffer | undefined> {
    return settle(() => {
      try {
        return readFileSync(this.path(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    });
  }

  put(name: string, body: string | Uint8Array): Promise<void> {
    return settle(() => {
      // Whole or not at all: a reader never sees half an object.
      const path = this.writable(name);
      const partial = `${path}.partial-${process.pid}`;
      writeFileSync(partial, body, { mode: OWNER_ONLY_FILE });
      renameSync(partial, path);
    });
  }

  create(name: string, body: string | Uint8Array): Promise<boolean> {
    return settle(() => {
      try {
        // O_CREAT | O_EXCL: of two processes at once, exactly one creates the file.
        writeFileSync(this.writable(name), body, { flag: 'wx', mode: OWNER_ONLY_FILE });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    });
  }

  delete(name: string): Promise<void> {
    return settle(() => {
      rmSync(this.path(name), { force: true });
    });
  }

  /**
   * The objects of the state folder: not the signing key pair's, whose folder secrets/<name>/ holds other files too
   * (the pull secret), and not the layout's marker.
   */
  list(): Promise<string[]> {
    return settle(() =>
      filesUnder(this.objectsDir())
        .filter((name) => name !== LOCAL_LAYOUT_MARKER)
        .sort(),
    );
  }
}

/**
 * Files below `dir` as `/`-joined relative names; none when it does not exist. Unfinished writes (`*.partial-<pid>`)
 * are not objects, nor files of a step's output.
 */
export function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && !/\.partial-\d+$/.test(e.name))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

export class S3ObjectStore implements ObjectStore {
  readonly where: string;
  /** Calls made, by operation (e.g. `s3:PutObject`), for benchmarks and tests. */
  readonly calls = new Map<string, number>();
  private readonly s3: S3Client;
  private readonly location: S3StateLocation;

  constructor(location: S3StateLocation, env: NodeJS.ProcessEnv = process.env) {
    this.location = location;
    this.where = `s3://${location.bucket}/${location.keyPrefix}`;
    this.s3 = new S3Client(s3ClientConfig(location.aws, env));
    countCalls(this.s3.middlewareStack, 's3', this.calls);
  }

  private key(name: string): string {
    checkName(name);
    return `${this.location.keyPrefix}${name}`;
  }

  /** One S3 call; what goes wrong is one line naming the call, the object and the fix. */
  private async call<T>(call: string, name: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const explained = explainAwsError(error, this.location.aws, call);
      if (explained !== error) throw explained;
      const code = awsErrorCode(error);
      const where = name ? `${this.where}${name}` : this.where;
      if (code === 'NoSuchBucket') {
        throw new UserError(
          `the state bucket ${this.location.bucket} does not exist (region ${this.location.aws.region}, ${call}): ` +
            'create it, or fix state.bucket in cluster.yaml or clusters/defaults.yaml',
        );
      }
      const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new UserError(`${call} on ${where} failed: ${code}${text && text !== code ? `: ${text}` : ''}`);
    }
  }

  private encryption() {
    return this.location.kmsKeyId
      ? ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.location.kmsKeyId } as const)
      : ({ ServerSideEncryption: 'AES256' } as const);
  }

  async get(name: string): Promise<Buffer | undefined> {
    const Key = this.key(name);
    try {
      const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key }));
      return Buffer.from(await answer.Body!.transformToByteArray());
    } catch (error) {
      if (isNotFound(error) && awsErrorCode(error) !== 'NoSuchBucket') return undefined;
      return this.call('s3:GetObject', name, () => Promise.reject(error as Error));
    }
  }

  async put(name: string, body: string | Uint8Array): Promise<void> {
    const Key = this.key(name);
    await this.call('s3:PutObject', name, () =>
      this.s3.send(new PutObjectCommand({ Bucket: this.location.bucket, Key, Body: body, ...this.encryption() })),
    );
  }

  async create(name: string, body: string | Uint8Array): Promise<boolean> {
    const Key = this.key(name);
    const put = new PutObjectCommand({
      Bucket: this.location.bucket,
      Key,
      Body: body,
      IfNoneMatch: '*',
      ...this.encryption(),
    });
    try {
      await this.s3.send(put);
      return true;
    } catch (error) {
      // 412: the object exists. 409: another conditional write of the same key is under way, and it wins.
      const status = awsStatus(error);
      if (status === 412 || status === 409) return false;
      return this.call('s3:PutObject', name, () => Promise.reject(error as Error));
    }
  }

  async delete(name: string): Promise<void> {
    const Key = this.key(name);
    await this.call('s3:DeleteObject', name, () =>
      this.s3.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key })),
    );
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call('s3:ListObjectsV2', undefined, () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: this.location.keyPrefix,
            ContinuationToken,
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key) names.push(object.Key.slice(this.location.keyPrefix.length));
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return names.sort();
  }
}
