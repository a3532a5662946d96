import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { writeFileSync } from 'node:fs';
const show = (e: any) => ({ name: e.name, code: e.code, Code: e.Code, msg: e.message, status: e.$metadata?.httpStatusCode, fault: e.$fault, ctor: e.constructor?.name, cause: e.cause && { name: e.cause.name, code: e.cause.code, msg: e.cause.message }, attempts: e.$metadata?.attempts, errors: e.errors?.map((x: any) => x.code) });
const mode = process.argv[2];
const t0 = Date.now();
try {
  const profile = process.env.P;
  const sts = new STSClient({ region: 'us-east-1', credentials: fromNodeProviderChain(profile ? { profile } : {}), retryMode: 'adaptive', maxAttempts: Number(process.env.MA ?? 8) });
  console.log(await sts.send(new GetCallerIdentityCommand({})));
} catch (e) { console.log(mode, show(e)); }
console.log('ms', Date.now() - t0);
