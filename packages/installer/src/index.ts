export { renderCluster, type RenderResult } from './executors/render/render.ts';
