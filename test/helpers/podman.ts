/**
 * A real container engine for the tests: `podman system service` on a unix socket in a temporary
 * directory, with its own vfs storage there (a storage.conf and containers.conf written here), the
 * images loaded with `podman load` first. Stopped by killing its process group; the directory is
 * removed. Needs root (as in CI and this sandbox) for the storage and cgroups.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCi } from './paths.js';

export const hasPodman = spawnSync('sh', ['-c', 'command -v podman'], { encoding: 'utf8' }).status === 0;
if (!hasPodman && inCi) throw new Error('CI=true but podman is not installed (.ci/run installs it with apt-get)');
if (!hasPodman) console.warn('note: podman is not installed (apt-get install podman); the engine tests are skipped');

export interface RunningPodman {
  /** The socket's path, and `unix://` + that path (for CONTAINER_HOST). */
  socket: string;
  url: string;
  /** The environment podman commands need to see this storage (CONTAINERS_STORAGE_CONF, CONTAINERS_CONF). */
  env: NodeJS.ProcessEnv;
  /** The names `podman load` reported, e.g. "localhost/tiny:latest". */
  loaded: string[];
  /** Milliseconds taken by each step: loading the images, starting the service. */
  timings: { loadMs: number; startMs: number };
  stop(): Promise<void>;
}

/** `GET /_ping` on the socket answers "OK". */
export function pingSocket(socket: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode === 200 && Buffer.concat(chunks).toString() === 'OK'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function podmanConfig(dir: string): { storage: string; containers: string } {
  const storage = [
    '[storage]',
    'driver = "vfs"',
    `graphroot = "${join(dir, 'root')}"`,
    `runroot = "${join(dir, 'run')}"`,
    '',
  ].join('\n');
  const containers = [
    '[engine]',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    `events_logfile_path = "${join(dir, 'events.log')}"`,
    `tmp_dir = "${join(dir, 'tmp')}"`,
    `volume_path = "${join(dir, 'volumes')}"`,
    '[network]',
    `network_config_dir = "${join(dir, 'networks')}"`,
    '',
  ].join('\n');
  return { storage, containers };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig); // the service's whole process group (it was started detached)
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Loads `archives` into a fresh storage and serves it; resolves once `_ping` answers. */
export async function startPodman(archives: string[]): Promise<RunningPodman> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-podman-'));
  try {
    const { storage, containers } = podmanConfig(dir);
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'storage.conf'), storage);
    await writeFile(join(dir, 'containers.conf'), containers);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      CONTAINERS_CONF: join(dir, 'containers.conf'),
      TMPDIR: join(dir, 'tmp'),
    };
    const loaded: string[] = [];
    const loadStart = Date.now();
    for (const archive of archives) {
      const result = spawnSync('podman', ['load', '-q', '-i', archive], { env, encoding: 'utf8', timeout: 120_000 });
      if (result.status !== 0)
        throw new Error(
          `podman load -i ${archive} failed (${result.status ?? result.signal}): ${result.stderr.trim()}`,
        );
      for (const m of result.stdout.matchAll(/^Loaded image(?:\(s\))?: (.+)$/gm))
        loaded.push(...m[1]!.split(',').map((s) => s.trim()));
    }
    const loadMs = Date.now() - loadStart;

    const socket = join(dir, 'podman.sock');
    const log = openSync(join(dir, 'service.log'), 'a');
    const startStart = Date.now();
    const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    const deadline = Date.now() + 30_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      if (await pingSocket(socket, 500)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!up) {
      await stopGroup(child);
      const tail = (await readFile(join(dir, 'service.log'), 'utf8').catch(() => ''))
        .trim()
        .split('\n')
        .slice(-5)
        .join('\n');
      throw new Error(`podman system service did not answer on ${socket}:\n${tail}`);
    }
    const startMs = Date.now() - startStart;
    return {
      socket,
      url: `unix://${socket}`,
      env,
      loaded,
      timings: { loadMs, startMs },
      async stop() {
        await stopGroup(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
