import { CLUSTER_ONLY_KEYS } from '@ocp-sts/cluster-config';

/*
 * The clusters/defaults.yaml that init writes into a workspace without one: valid as it is (comments only, so it sets
 * nothing), with examples of keys clusters usually share. Each example, uncommented, loads (generator.spec.ts), and
 * `state-bucket --setDefault` adds its block below the comments, keeping them.
 */

const clusterOnly = CLUSTER_ONLY_KEYS.map((path) => path.join('.')).join(' and ');

export const DEFAULTS_YAML = `# Deep-merged under every clusters/<name>/cluster.yaml: what is set here applies to each cluster that does not set
# it itself (the cluster's own keys win; a list is replaced, not merged). Not allowed here, as they must be unique
# per cluster: ${clusterOnly}.
# Uncomment what your clusters share. Written once by \`nx g @ocp-sts/nx-plugin:init\`, which never overwrites it.
#
# platform:
#   account_id: "123456789012"
#   region: us-east-1
# dns:
#   base_domain: example.com
# credentials:
#   aws_profile: platform-admin
#
# The state of every cluster in one S3 bucket (\`nx g @ocp-sts/nx-plugin:state-bucket --setDefault\` makes the bucket
# and writes this block): what CI needs, as a runner's checkout is gone after its job.
# state:
#   backend: s3
#   bucket: my-team-ocp-state
#   region: us-east-1
#   prefix: clusters
`;
