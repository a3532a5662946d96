/*
 * nx g @ocp-sts/nx-plugin:state-bucket --bucket <b> --region <r> [--kmsKeyId <k>] [--profile <p>] [--setDefault [--prefix <p>]]
 *
 * Makes (or brings to the settings) an S3 bucket that passes preflight's state-bucket check. Files go through the
 * tree (`--setDefault` writes the `state:` block into clusters/defaults.yaml, shown by --dry-run); the AWS work is
 * the returned task, which Nx runs after the files are written and never under --dry-run. The task ends by running
 * the very check preflight runs, so "done" means "passes".
 */
import { join } from 'node:path';
import { formatFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { Document, isMap, parseDocument } from 'yaml';
import { CLUSTERS_DIR, clusterSchema, DEFAULTS_FILE } from '@ocp-sts/cluster-config';
import { ensureStateBucket, stateBucketClient, stateBucketProblems, type StateBucket } from '@ocp-sts/state';
import { UserError } from '@ocp-sts/toolchain';

export interface StateBucketGeneratorSchema {
  bucket: string;
  region: string;
  kmsKeyId?: string;
  profile?: string;
  /** Write the `state:` block (backend s3, this bucket) into clusters/defaults.yaml. */
  setDefault?: boolean;
  /** `state.prefix` of that block: where under the bucket the clusters' objects go. Only with setDefault. */
  prefix?: string;
  skipFormat?: boolean;
}

/** Which option gave which key of the state block, so that a validation problem names the flag to fix. */
const OPTION_OF_KEY: Record<string, string> = {
  bucket: '--bucket',
  region: '--region',
  kms_key_id: '--kmsKeyId',
  profile: '--profile',
  prefix: '--prefix',
};

/** The `state:` block for these options, validated by the same schema cluster.yaml is; throws naming the flag. */
export function stateBlockFor(options: StateBucketGeneratorSchema): Record<string, string> {
  if (options.prefix !== undefined && !options.setDefault) {
    // The prefix is no setting of the bucket: it only says, in defaults.yaml, where the clusters' objects go.
    throw new UserError(
      'state-bucket: --prefix goes into clusters/defaults.yaml, which only --setDefault writes: add --setDefault',
    );
  }
  const block: Record<string, string> = {
    backend: 's3',
    bucket: options.bucket,
    region: options.region,
    ...(options.kmsKeyId && { kms_key_id: options.kmsKeyId }),
    ...(options.profile && { profile: options.profile }),
    ...(options.prefix !== undefined && { prefix: options.prefix }),
  };
  const parsed = clusterSchema.shape.state.safeParse(block);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${OPTION_OF_KEY[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`,
    );
    throw new UserError(`state-bucket: invalid options:\n${lines.join('\n')}`);
  }
  return block;
}

/**
 * Sets `state:` in clusters/defaults.yaml (made when missing), the rest of the file and its comments kept. A
 * `prefix` already there stays unless one is given (it says where the clusters' objects are, not which bucket); a `kms_key_id` or
 * `profile` not given now goes (it belonged to the bucket before).
 */
export function writeDefaultState(tree: Tree, block: Record<string, string>): string {
  const file = join(CLUSTERS_DIR, DEFAULTS_FILE);
  const parsed = parseDocument(tree.read(file, 'utf-8') ?? '');
  if (parsed.errors.length) {
    throw new UserError(
      `${file}: not valid YAML (${parsed.errors[0]!.message.split('\n')[0]!}): fix it, then run again`,
    );
  }
  if (parsed.contents !== null && !isMap(parsed.contents)) {
    throw new UserError(`${file}: expected a mapping of keys (like cluster.yaml's): fix it, then run again`);
  }
  // An empty file (or one of comments only) has no map to add to: a new one, its comments kept above.
  const doc = isMap(parsed.contents) ? parsed : new Document({});
  if (doc !== parsed) doc.commentBefore = parsed.commentBefore ?? parsed.comment;
  const current = doc.get('state');
  if (!isMap(current)) doc.set('state', doc.createNode({}));
  for (const key of ['kms_key_id', 'profile']) if (!(key in block)) doc.deleteIn(['state', key]);
  for (const [key, value] of Object.entries(block)) doc.setIn(['state', key], value);
  tree.write(file, doc.toString({ lineWidth: 0 }));
  return file;
}

/** The AWS side: make the bucket a state bucket, then prove it with preflight's own check. */
export async function makeStateBucket(target: StateBucket, s3 = stateBucketClient(target)): Promise<string[]> {
  const done = await ensureStateBucket(s3, target);
  const problems = await stateBucketProblems(s3, target);
  if (problems.length) {
    throw new UserError(
      `state bucket ${target.bucket} still fails the check after setting it:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return done;
}

export async function stateBucketGenerator(
  tree: Tree,
  options: StateBucketGeneratorSchema,
): Promise<GeneratorCallback> {
  const block = stateBlockFor(options);
  const target: StateBucket = {
    bucket: options.bucket,
    region: options.region,
    kmsKeyId: options.kmsKeyId,
    profile: options.profile,
  };
  if (options.setDefault) {
    const file = writeDefaultState(tree, block);
    logger.info(`${file}: state: backend s3, bucket ${options.bucket} (every cluster without its own state: block)`);
  }
  if (!options.skipFormat) await formatFiles(tree);
  return async () => {
    let done: string[];
    try {
      done = await makeStateBucket(target);
    } catch (error) {
      // Nx prints a failed task's message (its stack only with --verbose) and exits 1; there is nothing to undo.
      if (error instanceof UserError) throw new UserError(`${error.message}\nFix that and run the generator again.`);
      throw error;
    }
    for (const line of done) logger.info(`state bucket ${options.bucket}: ${line}`);
    logger.info(
      `state bucket ${options.bucket} passes the state-bucket check (versioned, encrypted, not public, TLS only)`,
    );
  };
}

export default stateBucketGenerator;
