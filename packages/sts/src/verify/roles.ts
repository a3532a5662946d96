/*
 * Per request: the role its Secret names exists (GetRole) with that ARN, carries ccoctl's tag, trusts exactly the
 * cluster's OIDC provider for exactly the request's service accounts (trust-policy.ts), holds the request's
 * statements as its inline policy (GetRolePolicy, policy name = role name; role-policy.ts), and has the permissions
 * boundary cluster.yaml configures. Two calls per role.
 */
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { isOwnedBy, ownedTagKey, type AwsReader } from '@ocp-sts/aws';
import { fixes, type Findings } from './findings.ts';
import { providerArnFor, serviceAccountSubject, subjectKey, type Issuer } from '../issuer/index.ts';
import type { ClusterFacts, RequestToVerify } from './outputs.ts';
import { parsePolicyDocument } from './policy-document.ts';
import { rolePolicyProblems, statementsFromEntries } from './role-policy.ts';
import { trustPolicyProblems } from './trust-policy.ts';
import { checkUserTags } from './user-tags.ts';

export async function checkRole(
  aws: AwsReader,
  facts: ClusterFacts,
  issuer: Issuer | undefined,
  entry: RequestToVerify,
  findings: Findings,
): Promise<void> {
  const { roleArn, roleName, request } = entry;
  if (!roleArn) return; // reported from the Secret already
  const rerun = fixes.rerunCcoctl(facts.project);
  const [role, policy] = await Promise.all([
    aws.read('iam:GetRole', (c) => c.iam.send(new GetRoleCommand({ RoleName: roleName }))),
    aws.read('iam:GetRolePolicy', (c) =>
      c.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: roleName })),
    ),
  ]);
  const forWhom = `${request.namespace}/${request.name} (secret ${request.secretRef.namespace}/${request.secretRef.name})`;

  findings.checked('roles');
  if (!role.found) {
    findings.error(
      'roles',
      roleArn,
      `the role of ${forWhom}, named in ${entry.secretFile}`,
      `missing (${role.code}): the operator cannot get AWS credentials`,
      rerun,
    );
    return;
  }
  const found = role.value.Role;
  if (found?.Arn !== roleArn) {
    findings.error('roles', roleArn, `role ARN ${roleArn}`, found?.Arn ?? 'no ARN', rerun);
  }
  findings.checked('roles');
  const tag = ownedTagKey(facts.stsName);
  if (!isOwnedBy(found?.Tags, facts.stsName)) {
    findings.warning(
      'roles',
      roleArn,
      `tag ${tag}=owned`,
      "not tagged: ccoctl aws delete (and destroy's leftover check) will not find it",
      `aws iam tag-role --role-name ${roleName} --tags Key=${tag},Value=owned`,
    );
  }
  checkUserTags(facts, 'roles', roleArn, found?.Tags, findings);

  // Trust policy.
  if (issuer) {
    findings.checked('trust-policy');
    const document = parsePolicyDocument(found?.AssumeRolePolicyDocument);
    const expectation = {
      providerArn: providerArnFor(facts.partition, facts.accountId, issuer),
      subjectKey: subjectKey(issuer),
      subjects: request.serviceAccountNames.map((sa) => serviceAccountSubject(request.secretRef.namespace, sa)),
    };
    const problems = document
      ? trustPolicyProblems(document, expectation)
      : [{ expected: 'a JSON trust policy', found: 'unreadable AssumeRolePolicyDocument' }];
    for (const problem of problems) {
      findings.error(
        'trust-policy',
        roleArn,
        problem.expected,
        problem.found,
        fixes.recreateRole(facts.project, roleName),
      );
    }
  }

  // Inline policy.
  findings.checked('role-policy');
  const policyArn = `${roleArn} (inline policy ${roleName})`;
  if (!policy.found) {
    findings.error(
      'role-policy',
      policyArn,
      `the permissions of ${forWhom}`,
      `missing (${policy.code}): the operator is denied everything`,
      rerun,
    );
  } else {
    const document = parsePolicyDocument(policy.value.PolicyDocument);
    const problems = document
      ? rolePolicyProblems(document, statementsFromEntries(request.statementEntries))
      : [{ expected: 'a JSON policy document', found: 'unreadable PolicyDocument' }];
    for (const problem of problems) findings.error('role-policy', policyArn, problem.expected, problem.found, rerun);
  }

  // Permissions boundary.
  const boundary = found?.PermissionsBoundary?.PermissionsBoundaryArn;
  findings.checked('permissions-boundary');
  if (facts.permissionsBoundaryArn && boundary !== facts.permissionsBoundaryArn) {
    findings.error(
      'permissions-boundary',
      roleArn,
      `permissions boundary ${facts.permissionsBoundaryArn} (credentials.permissions_boundary_arn)`,
      boundary ? `boundary ${boundary}` : 'no boundary',
      `aws iam put-role-permissions-boundary --role-name ${roleName} --permissions-boundary ${facts.permissionsBoundaryArn} ` +
        '(ccoctl does not update an existing role)',
    );
  } else if (!facts.permissionsBoundaryArn && boundary) {
    findings.warning(
      'permissions-boundary',
      roleArn,
      'no permissions boundary (credentials.permissions_boundary_arn is not set)',
      `boundary ${boundary}: it may deny the operator what its policy allows`,
      `set credentials.permissions_boundary_arn: ${boundary} in cluster.yaml, or aws iam delete-role-permissions-boundary --role-name ${roleName}`,
    );
  }
}
