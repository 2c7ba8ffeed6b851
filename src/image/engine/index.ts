export { EngineClient, EngineError, DEFAULT_API_VERSION, type EngineImage } from './client.js';
export { EngineSource, findInEngines, engineName, type EngineMatch, type EngineTimeouts } from './source.js';
export {
  existingSockets,
  parseHostVariable,
  resolveEngineSocket,
  socketCandidates,
  HOST_VARIABLE,
  type EngineName,
  type EngineSocket,
} from './socket.js';
