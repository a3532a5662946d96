/*
 * What the common EC2 instance types have, so that a single-node control plane on too small a machine is refused
 * at render rather than failing late in the install (neither openshift-install's offline validation nor its AWS
 * check looks at the size).
 *
 * The numbers are AWS's published specifications of these families (aws.amazon.com/ec2/instance-types): in each of
 * them, `large` has 2 vCPU, `xlarge` 4, `2xlarge` 8 and `4xlarge` 16, with 4 GiB of memory per vCPU for the general
 * purpose families (m), 2 for the compute optimised (c) and 8 for the memory optimised (r). Types not in the table
 * (other families, other sizes) are not judged.
 */

export interface InstanceSize {
  vcpu: number;
  memoryGiB: number;
}

/** GiB of memory per vCPU, by family. */
const FAMILIES: Record<string, number> = {
  m5: 4,
  m5a: 4,
  m6i: 4,
  m6a: 4,
  m7i: 4,
  m7a: 4,
  c5: 2,
  c5a: 2,
  c6i: 2,
  c6a: 2,
  c7i: 2,
  r5: 8,
  r5a: 8,
  r6i: 8,
  r6a: 8,
  r7i: 8,
};

/** vCPU by size, the same in every family above. */
const SIZES: Record<string, number> = { large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16 };

/** vCPU and memory of an instance type of the table, e.g. `m6i.xlarge`: 4 vCPU, 16 GiB; undefined for others. */
export function instanceSize(type: string): InstanceSize | undefined {
  const [family, size, ...rest] = type.split('.');
  if (family === undefined || size === undefined || rest.length) return undefined;
  const perVcpu = Object.hasOwn(FAMILIES, family) ? FAMILIES[family] : undefined;
  const vcpu = Object.hasOwn(SIZES, size) ? SIZES[size] : undefined;
  return perVcpu === undefined || vcpu === undefined ? undefined : { vcpu, memoryGiB: vcpu * perVcpu };
}

/**
 * What a single-node control plane (control_plane_replicas: 1) needs. 8 vCPU is the OpenShift documentation's
 * minimum for a single-node cluster ("Requirements for installing OpenShift on a single node"). 32 GiB is the
 * memory of the installer's own single-node default, the 2xlarge size of its general purpose family (m6i.2xlarge:
 * 8 vCPU, 32 GiB): a type chosen by hand is held to what the installer itself would pick (the documentation's bare
 * minimum of memory is lower, 16 GB).
 */
export const SINGLE_NODE_MINIMUM: InstanceSize = { vcpu: 8, memoryGiB: 32 };

/** The control plane's instance type when cluster.yaml names none. */
export const DEFAULT_CONTROL_PLANE_TYPE = 'm6i.xlarge';
/** ... and for a single-node cluster, which needs SINGLE_NODE_MINIMUM. */
export const DEFAULT_SINGLE_NODE_TYPE = 'm6i.2xlarge';

export function fitsSingleNode(size: InstanceSize): boolean {
  return size.vcpu >= SINGLE_NODE_MINIMUM.vcpu && size.memoryGiB >= SINGLE_NODE_MINIMUM.memoryGiB;
}

/** The smallest size of the same family that fits a single node (`c5.xlarge` -> `c5.4xlarge`), else the default. */
export function singleNodeTypeLike(type: string): string {
  const family = type.split('.')[0] ?? '';
  const fitting = Object.keys(SIZES)
    .map((size) => `${family}.${size}`)
    .find((candidate) => {
      const size = instanceSize(candidate);
      return size !== undefined && fitsSingleNode(size);
    });
  return fitting ?? DEFAULT_SINGLE_NODE_TYPE;
}
