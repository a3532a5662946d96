export { createNodes, createNodesV2, type ClusterPluginOptions } from './graph/create-nodes.ts';
