import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep } from '@ocp-sts/toolchain';
import { requestsTable } from '../../credentials-requests.ts';
import { extractCredentialsRequests, type ExtractOptions } from './extract.ts';

export default async function extractExecutor(options: ExtractOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'extract', options);
    const requests = await extractCredentialsRequests(step, options);
    if (!requests) {
      console.log(`extract: nothing to do: cco_mode is ${step.loaded.cluster.credentials.cco_mode}, not manual-sts`);
      return;
    }
    console.log(`extract: ${requests.length} AWS CredentialsRequests in ${step.show(step.dir('extract'))}\n`);
    console.log(requestsTable(requests));
  });
}
