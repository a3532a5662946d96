/*
 * cluster.yaml's `openshift.capabilities`: which optional components the cluster runs (install-config
 * `capabilities.baselineCapabilitySet` and `additionalEnabledCapabilities`). Under manual STS they decide how many
 * roles ccoctl makes: `oc adm release extract --included` leaves out the CredentialsRequests of a disabled capability
 * (the machine API's, the image registry's, the EBS CSI driver's), so they reach extract through its slice.
 *
 * The sets are openshift/api's ClusterVersionCapabilitySets as of 4.16, the oldest release this tool installs; the
 * rules are the installer's for AWS (pkg/types/validation/installconfig.go): CloudCredential, CloudControllerManager
 * and Ingress cannot be disabled there, and marketplace needs OperatorLifecycleManager. A set or capability of a newer
 * release is the installer's to accept or refuse.
 */
import { z } from 'zod';
import { oneOf } from './leaves.ts';

const V411 = ['baremetal', 'marketplace', 'openshift-samples'];
const V412 = [...V411, 'Console', 'Insights', 'Storage', 'CSISnapshot'];
const V413 = [...V412, 'NodeTuning'];
const V414 = [...V413, 'MachineAPI', 'Build', 'DeploymentConfig', 'ImageRegistry'];
const V415 = [...V414, 'OperatorLifecycleManager', 'CloudCredential'];
const V416 = [...V415, 'CloudControllerManager', 'Ingress'];

/** The baseline sets and what each enables. MachineAPI is in every set but None (clusters before 4.14 had it). */
export const CAPABILITY_SETS: Readonly<Record<string, readonly string[]>> = {
  None: [],
  'v4.11': [...V411, 'MachineAPI'],
  'v4.12': [...V412, 'MachineAPI'],
  'v4.13': [...V413, 'MachineAPI'],
  'v4.14': V414,
  'v4.15': V415,
  'v4.16': V416,
  vCurrent: V416,
};
export const CAPABILITIES: readonly string[] = V416;

/** Capabilities the installer refuses to disable on AWS, and why it matters here. */
const REQUIRED_ON_AWS: Record<string, string> = {
  CloudCredential: 'the Cloud Credential Operator, which manual STS needs; the installer keeps it on every cloud',
  CloudControllerManager: 'the installer disables it only on baremetal, none and external platforms',
  Ingress: 'the installer requires it',
};

const BASELINES = Object.keys(CAPABILITY_SETS) as [string, ...string[]];

export const capabilitiesSchema = z
  .strictObject({
    baseline: oneOf(BASELINES)
      .default('vCurrent')
      .describe('baselineCapabilitySet: None, v4.11 ... v4.16, or vCurrent (every capability of the release).'),
    additional: z
      .array(
        z.enum(CAPABILITIES as [string, ...string[]], {
          error: `expected a capability: ${CAPABILITIES.join(', ')}`,
        }),
        { error: 'expected a list of capabilities, like [MachineAPI, ImageRegistry]' },
      )
      .default([])
      .describe('additionalEnabledCapabilities: enabled beyond the baseline.'),
  })
  .superRefine(({ baseline, additional }, ctx) => {
    const enabled = enabledCapabilities(baseline, additional);
    for (const [capability, why] of Object.entries(REQUIRED_ON_AWS)) {
      if (!enabled.has(capability)) {
        ctx.addIssue({
          code: 'custom',
          path: ['additional'],
          message: `expected ${capability} among the capabilities enabled on AWS (${why}): add it to additional`,
        });
      }
    }
    if (enabled.has('marketplace') && !enabled.has('OperatorLifecycleManager')) {
      ctx.addIssue({
        code: 'custom',
        path: ['additional'],
        message: 'expected OperatorLifecycleManager beside marketplace, which needs it (the installer says so too)',
      });
    }
  })
  .describe(
    'Optional components (install-config capabilities); a disabled one loses its CredentialsRequests, and so its role.',
  );

export type Capabilities = z.output<typeof capabilitiesSchema>;

/** What a baseline set and the additional capabilities enable together. */
export function enabledCapabilities(baseline: string, additional: readonly string[]): Set<string> {
  return new Set([...(CAPABILITY_SETS[baseline] ?? []), ...additional]);
}

/** As extract's slice holds them: the additional ones once each and sorted; null when cluster.yaml says none. */
export function capabilitiesSlice(capabilities: Capabilities | undefined): Capabilities | null {
  return capabilities
    ? { baseline: capabilities.baseline, additional: [...new Set(capabilities.additional)].sort() }
    : null;
}

/** install-config's `capabilities`, or nothing when cluster.yaml says none (the installer's default, vCurrent). */
export function capabilitiesOfInstallConfig(capabilities: Capabilities | undefined): {
  capabilities?: { baselineCapabilitySet: string; additionalEnabledCapabilities?: string[] };
} {
  const slice = capabilitiesSlice(capabilities);
  if (!slice) return {};
  return {
    capabilities: {
      baselineCapabilitySet: slice.baseline,
      ...(slice.additional.length ? { additionalEnabledCapabilities: slice.additional } : {}),
    },
  };
}
