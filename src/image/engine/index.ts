export { EngineClient, EngineError, DEFAULT_API_VERSION, type EngineImage } from './client.js';
export {
  findInEngines,
  readEngineImage,
  readFromEngine,
  engineName,
  type EngineMatch,
  type EngineReadOptions,
  type EngineTimeouts,
} from './read.js';
export {
  existingSockets,
  parseHostVariable,
  resolveEngineSocket,
  socketCandidates,
  HOST_VARIABLE,
  type EngineName,
  type EngineSocket,
} from './socket.js';
