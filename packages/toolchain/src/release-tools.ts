import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Release } from '@ocp-sts/cluster-config';
import { readSecretFile, toolContext, type ClusterStep } from './cluster-step.ts';
import { UserError } from './errors.ts';
import type { LogLevelOption } from './log-level.ts';
import { buildOutputDir } from './output-dir.ts';
import { runTool } from './run-tool.ts';
import { compatibilityVariable } from './compatibility-variables.ts';

/** A folder of tool binaries to use before PATH (also the `binDir` option of the executors). */
export const BIN_DIR_ENV = 'OCP_STS_BIN_DIR';
/** On (`1`, `true`, `yes`): use the openshift-install and ccoctl extracted from the release itself (also an executor option). */
export const USE_RELEASE_TOOLS_ENV = 'OCP_STS_USE_RELEASE_TOOLS';

export interface ToolOptions extends LogLevelOption {
  /** Folder of tool binaries to use before PATH. */
  binDir?: string;
  /** Extract openshift-install and ccoctl from the release (`oc adm release extract --command`), cached per release. */
  useReleaseTools?: boolean;
}

/**
 * The registry credentials for oc: `$REGISTRY_AUTH_FILE` (a compatibility variable), else the cluster's pull secret.
 * Only the path is handed over; the content never passes through here.
 */
export function registryAuthFile(step: ClusterStep, env = process.env): string {
  const fromEnv = env.REGISTRY_AUTH_FILE;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new UserError(`REGISTRY_AUTH_FILE points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  readSecretFile(
    step,
    step.loaded.secretFiles.pullSecret,
    'The pull secret (registry credentials for oc)',
    'Download it from https://console.redhat.com/openshift/install/pull-secret, or set REGISTRY_AUTH_FILE.',
  );
  return step.loaded.secretFiles.pullSecret;
}

function digestInImage(image: string): string | undefined {
  return /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
}

/**
 * The release's digest (`oc adm release info -o json`), which identifies it whatever the pull spec; remembered in
 * .work/release-info/ per image, since a release tag does not move.
 */
export async function releaseDigest(step: ClusterStep, image: string): Promise<string> {
  const inline = digestInImage(image);
  if (inline) return inline;
  const memo = step.work('release-info', `${createHash('sha256').update(image).digest('hex').slice(0, 16)}.json`);
  if (existsSync(memo)) return (JSON.parse(readFileSync(memo, 'utf8')) as { digest: string }).digest;
  const { stdout } = await runTool({
    tool: 'oc',
    args: ['adm', 'release', 'info', '-o', 'json', '-a', registryAuthFile(step), image],
    ...toolContext(step),
    echo: false,
  });
  const digest = (JSON.parse(stdout) as { digest?: unknown }).digest;
  if (typeof digest !== 'string') throw new UserError(`oc adm release info gave no digest for ${image}`);
  mkdirSync(join(memo, '..'), { recursive: true });
  writeFileSync(memo, JSON.stringify({ image, digest }));
  return digest;
}

/**
 * Whether openshift-install and ccoctl come from the release: the useReleaseTools option, else
 * $OCP_STS_USE_RELEASE_TOOLS, read as every compatibility variable is.
 */
export function wantsReleaseTools(options: ToolOptions, env = process.env): boolean {
  return compatibilityVariable(options.useReleaseTools, USE_RELEASE_TOOLS_ENV, env);
}

/**
 * Which tool folders, for this step: where to look for openshift-install, oc and ccoctl, before PATH. First the
 * release's own binaries when asked for (extracted once per release into .work/bin/<digest>/), then the binDir
 * option, then $OCP_STS_BIN_DIR. Without a release (destroy before render ran; preflight, which extracts nothing)
 * only the last two.
 */
export async function toolDirs(
  step: ClusterStep,
  release: Release | undefined,
  options: ToolOptions,
  env = process.env,
): Promise<string[]> {
  const dirs = [options.binDir, env[BIN_DIR_ENV]].filter((d): d is string => !!d);
  if (!release || !wantsReleaseTools(options, env)) return dirs;
  const digest = await releaseDigest(step, release.image);
  const dir = step.work('bin', digest.replace('sha256:', '').slice(0, 16));
  if (!existsSync(join(dir, 'openshift-install')) || !existsSync(join(dir, 'ccoctl'))) {
    await buildOutputDir(dir, async (partial) => {
      for (const command of ['openshift-install', 'ccoctl']) {
        await runTool({
          tool: 'oc',
          args: [
            'adm',
            'release',
            'extract',
            `--command=${command}`,
            `--to=${partial}`,
            '-a',
            registryAuthFile(step),
            release.image,
          ],
          ...toolContext(step),
        });
      }
    });
  }
  return [dir, ...dirs];
}

/**
 * Refuses an openshift-install built for another release: its manifests would not match the release whose
 * CredentialsRequests ccoctl provisioned.
 */
export async function checkInstallerRelease(step: ClusterStep, release: Release, binDirs: string[]): Promise<void> {
  const { stdout } = await runTool({
    tool: 'openshift-install',
    args: ['version'],
    ...toolContext(step),
    binDirs,
    echo: false,
  });
  const reported = /^release image (\S+)$/m.exec(stdout)?.[1];
  if (!reported) throw new UserError(`\`openshift-install version\` printed no release image:\n${stdout}`);
  if (reported === release.image) return;
  const [want, have] = [await releaseDigest(step, release.image), await releaseDigest(step, reported)];
  if (want !== have) {
    throw new UserError(
      `openshift-install is built for ${reported}, but the cluster installs ${release.image} (${release.source}). ` +
        `Use the installer of the release: set the option useReleaseTools (or ${USE_RELEASE_TOOLS_ENV}=true), ` +
        `or put the matching openshift-install first on PATH.`,
    );
  }
}
