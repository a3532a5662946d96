/*
 * cluster.yaml's `machines`: what every machine of the cluster gets, control plane and compute alike: its root volume
 * (size, type, IOPS, the KMS key that encrypts it) and whether its instance metadata service takes IMDSv2 only.
 * Rendered as install-config `platform.aws.defaultMachinePlatform`, which both pools inherit.
 *
 * The rules are the installer's (pkg/types/aws/validation/machinepool.go: validateIOPS, the metadata authentication
 * values), and the key must be of the cluster's partition and region: EBS encrypts with a key of the volume's region.
 */
import { z } from 'zod';
import { oneOf, wholeNumber } from './leaves.ts';

/** The volume types the installer knows (validateIOPS), and those that take provisioned IOPS. */
export const VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
const IOPS_TYPES: readonly string[] = ['gp3', 'io1', 'io2'];

const KMS_KEY_ARN = /^arn:(?<partition>aws[a-z-]*):kms:(?<region>[a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;

/** The partition and region of a KMS key ARN; undefined when it is no key ARN. */
export function kmsKeyLocation(arn: string): { partition: string; region: string } | undefined {
  const groups = KMS_KEY_ARN.exec(arn)?.groups;
  return groups ? { partition: groups.partition!, region: groups.region! } : undefined;
}

const rootVolume = z
  .strictObject({
    size_gib: wholeNumber(16).optional().describe('Size in GiB, from 16 (the installer: 120).'),
    type: oneOf(VOLUME_TYPES).optional().describe('EBS volume type (the installer: gp3).'),
    iops: wholeNumber(1).optional().describe('Provisioned IOPS, for gp3, io1 and io2 only.'),
    kms_key_arn: z
      .string({ error: 'expected a KMS key ARN like "arn:aws:kms:us-east-1:123456789012:key/<id>"' })
      .refine((arn) => kmsKeyLocation(arn) !== undefined, {
        error: 'expected a KMS key ARN like "arn:aws:kms:us-east-1:123456789012:key/<id>" (an alias is not a key ARN)',
      })
      .optional()
      .describe("KMS key that encrypts the root volumes; absent: the account's default EBS key."),
  })
  .superRefine((volume, ctx) => {
    if (volume.iops !== undefined && !IOPS_TYPES.includes(volume.type ?? 'gp3')) {
      ctx.addIssue({
        code: 'custom',
        path: ['iops'],
        message: `expected no iops for type ${volume.type ?? 'gp3'} (only ${IOPS_TYPES.join(', ')} take provisioned IOPS)`,
      });
    }
  });

export const machinesSchema = z
  .strictObject({
    root_volume: rootVolume.optional().describe('The root volume of every machine.'),
    metadata_service: z
      .enum(['Required', 'Optional'], { error: 'expected "Required" (IMDSv2 only) or "Optional"' })
      .optional()
      .describe('Instance metadata service: Required takes IMDSv2 only; Optional (the default) takes v1 too.'),
  })
  .describe('What every machine gets (install-config platform.aws.defaultMachinePlatform).');

export type Machines = z.output<typeof machinesSchema>;

/** install-config's `platform.aws.defaultMachinePlatform`, or nothing when cluster.yaml says nothing of the machines. */
export function defaultMachinePlatformOf(machines: Machines | undefined): { defaultMachinePlatform?: object } {
  const volume = machines?.root_volume;
  const rootVolume = volume
    ? {
        ...(volume.iops === undefined ? {} : { iops: volume.iops }),
        ...(volume.kms_key_arn === undefined ? {} : { kmsKeyARN: volume.kms_key_arn }),
        ...(volume.size_gib === undefined ? {} : { size: volume.size_gib }),
        ...(volume.type === undefined ? {} : { type: volume.type }),
      }
    : undefined;
  const platform = {
    ...(rootVolume && Object.keys(rootVolume).length ? { rootVolume } : {}),
    ...(machines?.metadata_service ? { metadataService: { authentication: machines.metadata_service } } : {}),
  };
  return Object.keys(platform).length ? { defaultMachinePlatform: platform } : {};
}
