/*
 * Stand-in for `oc`, the parts this project uses: `oc adm release extract` (--credentials-requests, --command),
 * `oc adm release info` and `oc version`, as openshift/oc (release-4.16) does them, and the commands against a
 * stand-in cluster (`get`, `apply`, `annotate`, `adm upgrade`: oc/cluster.ts). It serves the releases of
 * releases.ts and the payload of payload.ts, and loads registry credentials as a real pull does. What it imitates, what
 * was measured equal against the real oc, and where it deviates: tools/stand-ins/README.md.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyFaults } from './faults.ts';
import { clusterCommand } from './oc/cluster.ts';
import { Exit, fail, parseFlags } from './oc/exit.ts';
import { asObject, parseInstallConfig, platformName, text, type JsonObject } from './install-config.ts';
import { toKubeYaml } from './kube-yaml.ts';
import {
  enabledCapabilities,
  isCredentialsRequest,
  isIncluded,
  payloadFiles,
  PROVIDER_SPEC_KIND,
  providerSpecKind,
  type Inclusion,
} from './payload.ts';
import {
  ARCHITECTURE,
  DEFAULT_RELEASE_VERSION,
  RELEASES,
  releaseComponents,
  resolveRelease,
  type Release,
} from './releases.ts';

const BIN_DIR = resolve(import.meta.dirname, '..', 'bin');
/** The cluster profile of an installer-provisioned cluster; oc extract --included always uses it. */
const PROFILE = 'self-managed-high-availability';

// --- registry -------------------------------------------------------------------------------------------------

/**
 * The registry credentials oc loads before it reads an image: `-a/--registry-config`, else `$REGISTRY_AUTH_FILE`,
 * else none (the real oc then tries the podman/docker default files, which the stand-in does not read). A file that
 * is named but missing or not JSON is an error, in oc's words; a file without `auths` is read as no credentials, as
 * containers/image does. The content is never printed (not even in a JSON error).
 */
function registryCredentials(registryConfig: string | undefined): Record<string, unknown> {
  if (registryConfig !== undefined && registryConfig !== '') {
    return readAuthFile(registryConfig, 'unable to load --registry-config: ', 'unable to load --registry-config: ');
  }
  const fromEnv = process.env.REGISTRY_AUTH_FILE;
  if (fromEnv) return readAuthFile(fromEnv, '', 'unable to load ${REGISTRY_AUTH_FILE}: ');
  return {};
}

function readAuthFile(file: string, missingPrefix: string, invalidPrefix: string): Record<string, unknown> {
  if (!existsSync(file)) fail(`${missingPrefix}stat ${file}: no such file or directory`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Node's JSON error quotes the text around the fault: that would print a piece of the credentials.
    fail(`${invalidPrefix}unmarshaling JSON at "${file}": invalid JSON`);
  }
  const document = asObject(parsed);
  const auths = document?.auths;
  if (!document || (auths !== undefined && !asObject(auths))) {
    fail(`${invalidPrefix}unmarshaling JSON at "${file}": not a registry credentials file (an object with "auths")`);
  }
  return asObject(auths) ?? {};
}

/**
 * Reads a release image. The release repository answers anonymous pulls (as quay.io's ocp-release does, and as the
 * registry the real oc was measured against did), so credentials are loaded, and must load, but are not required.
 */
function readReleaseImage(image: string, registryConfig: string | undefined): Release {
  registryCredentials(registryConfig);
  const release = resolveRelease(image);
  if (!release) fail(`unable to read image ${image}: manifest unknown: manifest unknown`);
  return release;
}

/**
 * Reads a component image of a release (the binaries of `--command`). Its repository (ocp-v4.0-art-dev on quay.io)
 * is private: without credentials the pull is refused.
 */
function requireComponentAccess(componentImage: string, registryConfig: string | undefined): void {
  if (Object.keys(registryCredentials(registryConfig)).length === 0) {
    fail(`unable to read image ${componentImage}: unauthorized: access to the requested resource is not authorized`);
  }
}

function byDigest(image: string): boolean {
  return image.includes('@sha256:');
}

async function faults(step: string): Promise<void> {
  await applyFaults('oc', step, (code) => fail(`${step} failed (injected by STANDIN_FAIL)`, code));
}

// --- adm release extract --------------------------------------------------------------------------------------

/** The binaries of `--command`: the file written and the component image of the release that holds it. */
const COMMANDS: Record<string, { tool: string; component: string }> = {
  oc: { tool: 'oc', component: 'cli' },
  'openshift-install': { tool: 'openshift-install', component: 'installer' },
  ccoctl: { tool: 'ccoctl', component: 'cloud-credential-operator' },
  'ccoctl.rhel8': { tool: 'ccoctl', component: 'cloud-credential-operator' },
  'ccoctl.rhel9': { tool: 'ccoctl', component: 'cloud-credential-operator' },
};

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

interface CommandOptions {
  command: string;
  commandOs: string | undefined;
  dir: string;
  registryConfig: string | undefined;
}

/** `--command`: a small executable that runs the stand-in as the binary of this release. */
function extractCommand(release: Release, options: CommandOptions): void {
  const { command, commandOs, dir } = options;
  const binary = COMMANDS[command];
  if (!binary) fail(`command "${command}" is not one of: ${Object.keys(COMMANDS).join(', ')}`);
  const { tool } = binary;
  if (commandOs !== undefined && commandOs !== 'linux' && commandOs !== '*') {
    if (tool === 'ccoctl') fail(`command "${command}" is only available for linux, not for --command-os=${commandOs}`);
    fail(`the stand-in extracts linux binaries only, not --command-os=${commandOs}`);
  }
  const component = releaseComponents(release).find((c) => c.name === binary.component)!;
  requireComponentAccess(component.image, options.registryConfig);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, tool);
  const script =
    '#!/bin/sh\n' +
    `# ${tool} of OpenShift ${release.version} (${release.digestPullSpec}),\n` +
    '# extracted by the oc stand-in: runs the stand-in as the binary of that release.\n' +
    `STANDIN_RELEASE_IMAGE=${shellQuote(release.digestPullSpec)}\n` +
    'export STANDIN_RELEASE_IMAGE\n' +
    `exec ${shellQuote(join(BIN_DIR, tool))} "$@"\n`;
  writeFileSync(file, script, { mode: 0o755 });
  chmodSync(file, 0o755);
}

/** The version this oc reports (`oc version`, and in its informational lines). */
function clientVersion(): string {
  return process.env.STANDIN_OC_VERSION ?? DEFAULT_RELEASE_VERSION;
}

/**
 * An informational klog line on stderr, as oc writes it: `Immdd hh:mm:ss.uuuuuu <pid> file:line] message` (local
 * time). `at` is the source position in oc's release-4.16 branch.
 */
function klogInfo(at: string, message: string): void {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(now.getMilliseconds() * 1000).padStart(6, '0');
  const stamp =
    `${two(now.getMonth() + 1)}${two(now.getDate())} ` +
    `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${micros}`;
  process.stderr.write(`I${stamp} ${String(process.pid).padStart(7)} ${at}] ${message}\n`);
}

/**
 * What `--included --install-config` keeps, and the install-config's platform, read as oc reads the file: it must
 * parse, have `apiVersion: v1`, and a `capabilities` stanza needs a known `baselineCapabilitySet` (none given is
 * the set "", unknown). A stanza also makes oc say that the capability sets are those of its own minor version.
 */
function inclusionFrom(file: string): { inclusion: Inclusion; platform: string | undefined } {
  if (!existsSync(file)) fail(`open ${file}: no such file or directory`);
  let config: JsonObject;
  try {
    config = parseInstallConfig(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`failed to parse ${file}: ${(error as Error).message}`);
  }
  const apiVersion = text(config.apiVersion);
  if (apiVersion !== 'v1') fail(`unrecognized ${file} API version: ${JSON.stringify(apiVersion)} (expected "v1")`);
  const featureSet = text(config.featureSet) || 'Default';
  const stanza = asObject(config.capabilities);
  let capabilities: Set<string> | undefined;
  if (stanza) {
    const baseline = text(stanza.baselineCapabilitySet);
    const additional = Array.isArray(stanza.additionalEnabledCapabilities)
      ? stanza.additionalEnabledCapabilities.map((c) => text(c))
      : [];
    try {
      capabilities = enabledCapabilities(baseline, additional);
    } catch (error) {
      fail((error as Error).message);
    }
    if (baseline === 'vCurrent') {
      klogInfo(
        'extract_tools.go:1190',
        `If the eventual cluster will not be the same minor version as this ${clientVersion()} 'oc', the actual ${baseline} capability set may differ.`,
      );
    }
    klogInfo(
      'extract_tools.go:1196',
      `If the eventual cluster will not be the same minor version as this ${clientVersion()} 'oc', the known capability sets may differ.`,
    );
  }
  return { inclusion: { capabilities, featureSet, profile: PROFILE }, platform: platformName(config) };
}

interface CredentialsRequestsOptions {
  dir: string;
  cloud: string | undefined;
  included: boolean;
  installConfig: string | undefined;
  registryConfig: string | undefined;
}

/**
 * `--credentials-requests`, in oc's order: DIR is created first (so a failure leaves it, empty), then the
 * install-config is read, then the image; the files are written, then the stdout line.
 */
async function extractCredentialsRequests(image: string, options: CredentialsRequestsOptions): Promise<void> {
  mkdirSync(options.dir, { recursive: true });
  let inclusion: Inclusion | undefined;
  let cloud = options.cloud;
  if (options.included) {
    const file = options.installConfig!;
    const fromConfig = inclusionFrom(file);
    inclusion = fromConfig.inclusion;
    if (fromConfig.platform !== undefined) {
      if (cloud !== undefined && cloud !== fromConfig.platform) {
        fail(`--cloud ${JSON.stringify(cloud)} set, but ${file} has ${JSON.stringify(fromConfig.platform)}`);
      }
      if (!(fromConfig.platform in PROVIDER_SPEC_KIND)) {
        fail(`unrecognized platform for CredentialsRequests: ${JSON.stringify(fromConfig.platform)}`);
      }
      cloud = fromConfig.platform;
    }
  }
  const kind = cloud === undefined ? undefined : PROVIDER_SPEC_KIND[cloud];

  await faults('release-extract');
  const release = readReleaseImage(image, options.registryConfig);
  for (const file of payloadFiles(release)) {
    const requests = file.documents.filter(
      (doc) =>
        isCredentialsRequest(doc) &&
        (kind === undefined || providerSpecKind(doc) === kind) &&
        (inclusion === undefined || isIncluded(doc, inclusion)),
    );
    if (requests.length === 0) continue;
    writeFileSync(join(options.dir, file.name), requests.map((doc) => `---\n${toKubeYaml(doc)}`).join(''));
  }
  process.stdout.write(
    byDigest(image)
      ? `Extracted release payload created at ${release.created}\n`
      : `Extracted release payload from digest ${release.digest} created at ${release.created}\n`,
  );
}

/** `oc adm release extract`: the checks of oc's Complete and Run, in their order, then the extraction. */
async function releaseExtract(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    to: { type: 'string', default: '.' },
    from: { type: 'string' },
    'credentials-requests': { type: 'boolean', default: false },
    cloud: { type: 'string' },
    included: { type: 'boolean', default: false },
    'install-config': { type: 'string' },
    command: { type: 'string' },
    'command-os': { type: 'string' },
    file: { type: 'string' },
    tools: { type: 'boolean', default: false },
    git: { type: 'string' },
    'registry-config': { type: 'string', short: 'a' },
    insecure: { type: 'boolean', default: false },
  });
  if ((positionals.length === 1 && values.from !== undefined) || positionals.length > 1) {
    fail('you may only specify a single image via --from or argument');
  }
  const image = values.from ?? positionals[0];
  if (image === undefined || image === '') {
    fail(
      'no release image given, and the stand-in has no cluster to read the current release from: ' +
        'pass the release image as an argument or with --from',
    );
  }
  if (values.included && values['install-config'] === undefined) {
    fail('--included without --install-config reads the connected cluster, and the stand-in has no cluster');
  }
  if (values['install-config'] !== undefined && !values.included) {
    fail('--install-config is only supported with --included');
  }
  if (values.cloud !== undefined && !values['credentials-requests'] && !values.included) {
    fail('--cloud is only supported with --credentials-requests or --included');
  }
  if (values.cloud !== undefined && !(values.cloud in PROVIDER_SPEC_KIND)) {
    fail(`--cloud value not recognized, must be one of: [${Object.keys(PROVIDER_SPEC_KIND).join(' ')}]`);
  }
  if (values['credentials-requests'] && !values.included) {
    process.stderr.write(
      'warning: if you intend to pass CredentialsRequests to ccoctl, you should use --included to filter out ' +
        'requests that your cluster is not expected to need.\n',
    );
  }
  const sources = [
    values['credentials-requests'],
    values.command !== undefined,
    values.file !== undefined,
    values.tools,
    values.git !== undefined,
  ].filter(Boolean).length;
  if (sources > 1) fail('only one of --tools, --command, --credentials-requests, --file, or --git may be specified');
  if (values.file !== undefined || values.tools || values.git !== undefined) {
    fail('the oc stand-in implements only --credentials-requests and --command of adm release extract');
  }
  if (values.command === undefined && !values['credentials-requests']) {
    fail('the oc stand-in implements only --credentials-requests and --command of adm release extract');
  }
  if (values.command !== undefined) {
    await faults('release-extract');
    const release = readReleaseImage(image, values['registry-config']);
    extractCommand(release, {
      command: values.command,
      commandOs: values['command-os'],
      dir: values.to,
      registryConfig: values['registry-config'],
    });
    return;
  }
  await extractCredentialsRequests(image, {
    dir: values.to,
    cloud: values.cloud,
    included: values.included,
    installConfig: values['install-config'],
    registryConfig: values['registry-config'],
  });
}

// --- adm release info -----------------------------------------------------------------------------------------

function releaseInfoJson(image: string, release: Release): unknown {
  const [major, minor] = release.version.split('.');
  const previous = RELEASES.filter(
    (r) => r.version.startsWith(`${major ?? ''}.${minor ?? ''}.`) && r.created < release.created,
  ).map((r) => r.version);
  return {
    image: release.digestPullSpec,
    digest: release.digest,
    contentDigest: release.digest,
    listDigest: '',
    config: {
      created: release.created,
      architecture: ARCHITECTURE,
      os: 'linux',
      config: { Labels: { 'io.openshift.release': release.version } },
    },
    metadata: {
      kind: 'cincinnati-metadata-v0',
      version: release.version,
      previous,
      metadata: { url: `https://access.redhat.com/errata/stand-in-${release.version}` },
    },
    references: {
      kind: 'ImageStream',
      apiVersion: 'image.openshift.io/v1',
      metadata: { name: release.version, creationTimestamp: release.created },
      spec: {
        tags: releaseComponents(release).map((c) => ({
          name: c.name,
          from: { kind: 'DockerImage', name: c.image },
        })),
      },
    },
    displayVersions: { 'machine-os': { Version: `416.94.${release.version.replace(/\./g, '')}-0` } },
    requestedImage: image,
  };
}

async function releaseInfo(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    output: { type: 'string', short: 'o' },
    'image-for': { type: 'string' },
    'registry-config': { type: 'string', short: 'a' },
    insecure: { type: 'boolean', default: false },
  });
  if (positionals.length > 1) fail('you may only specify a single image');
  const image = positionals[0];
  if (image === undefined || image === '') {
    fail('no release image given, and the stand-in has no cluster to read the current release from');
  }
  const output = values.output ?? '';
  if (!['', 'json', 'digest', 'name', 'pullspec'].includes(output)) {
    fail(`--output must be one of: json, name, digest, pullspec (got ${output})`);
  }
  await faults('release-info');
  const release = readReleaseImage(image, values['registry-config']);
  const components = releaseComponents(release);
  if (values['image-for'] !== undefined) {
    const component = components.find((c) => c.name === values['image-for']);
    if (!component) fail(`no image tag "${values['image-for']}" exists in the release image ${image}`);
    process.stdout.write(`${component.image}\n`);
    return;
  }
  switch (output) {
    case 'json':
      process.stdout.write(`${JSON.stringify(releaseInfoJson(image, release), null, 2)}\n`);
      return;
    case 'digest':
      // The digests of the component images, not of the release (use -o json's `digest` for that).
      process.stdout.write(components.map((c) => `${c.name} ${c.digest}\n`).join(''));
      return;
    case 'name':
      process.stdout.write(`${release.version}\n`);
      return;
    case 'pullspec':
      process.stdout.write(`${release.digestPullSpec}\n`);
      return;
  }
  const width = Math.max(...components.map((c) => c.name.length));
  process.stdout.write(
    `Name:           ${release.version}\n` +
      `Digest:         ${release.digest}\n` +
      `Created:        ${release.created}\n` +
      `OS/Arch:        linux/${ARCHITECTURE}\n\n` +
      `Pull From: ${release.digestPullSpec}\n\n` +
      `Release Metadata:\n  Version:  ${release.version}\n\n` +
      `Images:\n  ${'NAME'.padEnd(width)}  DIGEST\n` +
      components.map((c) => `  ${c.name.padEnd(width)}  ${c.digest}\n`).join(''),
  );
}

// --- version and main -----------------------------------------------------------------------------------------

function version(args: string[]): void {
  const { values } = parseFlags(args, {
    client: { type: 'boolean', default: false },
    output: { type: 'string', short: 'o' },
  });
  if (values.output === 'json') {
    process.stdout.write(`${JSON.stringify({ clientVersion: { gitVersion: clientVersion() } }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`Client Version: ${clientVersion()}\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n`);
  if (!values.client) {
    fail('the stand-in is not connected to a cluster: the server version is unknown (use --client)');
  }
}

async function main(argv: string[]): Promise<void> {
  if (await clusterCommand(argv)) return;
  const [first, second, third, ...rest] = argv;
  if (first === 'version') {
    version(argv.slice(1));
    return;
  }
  if (first === 'adm' && second === 'release' && third === 'extract') return releaseExtract(rest);
  if (first === 'adm' && second === 'release' && third === 'info') return releaseInfo(rest);
  const command = [first, second, third].filter((part) => part !== undefined && !part.startsWith('-')).join(' ');
  fail(
    `unknown command "${command}" for "oc" (the stand-in implements: version, adm release extract, adm release info, ` +
      'get, apply, annotate, adm upgrade)',
  );
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  if (error instanceof Exit) process.exit(error.code);
  process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
