export {
  LayerCache,
  defaultCacheRoot,
  type CacheInfo,
  type LayerCacheOptions,
  type PruneResult,
  type PutResult,
} from './layer-cache.js';
export { FORMAT_VERSION } from './format.js';
export { parseDuration } from './duration.js';
