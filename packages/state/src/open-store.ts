import { relative } from 'node:path';
import { migrateLocalLayout } from './local-layout.ts';
import { stateLocation, type StateOwner } from './location.ts';
import { LocalObjectStore, S3ObjectStore, type ObjectStore } from './store.ts';

/**
 * The store of a cluster's state backend, as cluster.yaml's `state` says. A local state of the layout before
 * .work/state/ is moved into it first (local-layout.ts), so that no step finds it half in the old places.
 */
export function openStateStore(owner: StateOwner, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const location = stateLocation(owner);
  if (location.backend === 's3') return new S3ObjectStore(location, env);
  const show = (path: string) => relative(owner.workspaceRoot, path);
  migrateLocalLayout(location, show);
  return new LocalObjectStore(location, show);
}
