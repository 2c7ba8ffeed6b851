import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ImageReadError } from '../../util/errors.js';

export type EngineName = 'docker' | 'podman';

/** Where an engine's API listens: a unix socket, and how it was found. */
export interface EngineSocket {
  engine: EngineName;
  /** File system path of the socket. */
  path: string;
  /** `unix:///path`, the form shown to the user. */
  url: string;
  /** Named by DOCKER_HOST / CONTAINER_HOST rather than a default location. */
  fromEnv: boolean;
}

/** The variable that names each engine's socket. */
export const HOST_VARIABLE: Record<EngineName, 'DOCKER_HOST' | 'CONTAINER_HOST'> = {
  docker: 'DOCKER_HOST',
  podman: 'CONTAINER_HOST',
};

const DOCKER_DEFAULT = '/var/run/docker.sock';
const PODMAN_SYSTEM = '/run/podman/podman.sock';

/**
 * The socket path a `unix://` host names. Anything else (tcp://, ssh://, npipe://) is a clear error:
 * strata speaks to engines over a local unix socket only.
 */
export function parseHostVariable(engine: EngineName, value: string): string {
  const variable = HOST_VARIABLE[engine];
  const match = /^unix:\/\/(.*)$/.exec(value);
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
    const what = scheme ? `a ${scheme}:// host` : 'not a unix:// URL';
    throw new ImageReadError(
      `${variable}=${value} is ${what}: strata reaches ${engine} through a unix socket only ` +
        `(unix:///path/to/${engine}.sock)`,
    );
  }
  const path = match[1] ?? '';
  if (!path.startsWith('/'))
    throw new ImageReadError(`${variable}=${value}: the socket path must be absolute (unix:///path/to/${engine}.sock)`);
  return path;
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

const socketAt = (engine: EngineName, path: string, fromEnv: boolean): EngineSocket => ({
  engine,
  path,
  url: `unix://${path}`,
  fromEnv,
});

/**
 * The sockets to try for an engine, in order: the variable when it is set (and then only it), else
 * the default places (docker: /var/run/docker.sock; podman: $XDG_RUNTIME_DIR/podman/podman.sock,
 * then /run/podman/podman.sock).
 */
export function socketCandidates(engine: EngineName, env: NodeJS.ProcessEnv = process.env): EngineSocket[] {
  const value = env[HOST_VARIABLE[engine]];
  if (value !== undefined && value !== '') return [socketAt(engine, parseHostVariable(engine, value), true)];
  if (engine === 'docker') return [socketAt(engine, DOCKER_DEFAULT, false)];
  const paths: string[] = [];
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime) paths.push(join(runtime, 'podman', 'podman.sock'));
  paths.push(PODMAN_SYSTEM);
  return paths.map((path) => socketAt(engine, path, false));
}

/**
 * The socket to use for an explicit `docker://` or `podman://` source: the variable's, or the first
 * default place where a socket exists. Throws a one-line error naming where it looked.
 */
export function resolveEngineSocket(engine: EngineName, env: NodeJS.ProcessEnv = process.env): EngineSocket {
  const candidates = socketCandidates(engine, env);
  const first = candidates[0]!;
  if (first.fromEnv) return first;
  const found = candidates.find((c) => isSocket(c.path));
  if (found) return found;
  const start =
    engine === 'docker'
      ? 'start the docker daemon'
      : 'start it with `podman system service` (or `systemctl start podman.socket`)';
  throw new ImageReadError(
    `cannot reach ${engine}: no socket at ${candidates.map((c) => c.path).join(' or ')} (${start}, or ` +
      `set ${HOST_VARIABLE[engine]}=unix:///path/to/${engine}.sock)`,
  );
}

/** The sockets worth probing for a bare reference: those that exist (an invalid variable is skipped). */
export function existingSockets(engine: EngineName, env: NodeJS.ProcessEnv = process.env): EngineSocket[] {
  let candidates: EngineSocket[];
  try {
    candidates = socketCandidates(engine, env);
  } catch {
    return [];
  }
  const found = candidates.find((c) => isSocket(c.path));
  return found ? [found] : [];
}
