import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/**
 * sha256 of file byte ranges, off the main thread: one worker thread per process reads the range
 * itself (a layer was just read or is being read by the main thread, so the page cache serves it)
 * and hashes it while the main thread parses the same bytes. On two cores the two overlap.
 *
 * The worker is plain CommonJS evaluated from a string, so it runs the same from dist/ and under
 * vitest (which runs the TypeScript sources and has no compiled file to point a Worker at).
 * It is unref'd whenever no job is pending, so it never keeps the process alive.
 */
/**
 * The worker's read size: small enough that the bytes are still in the L1/L2 cache when hashed
 * (1 MiB reads cost three times the system time of 64 KiB ones, measured on realistic1g).
 */
const WORKER_READ = 64 * 1024;

const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(${WORKER_READ});
parentPort.on('message', (job) => {
  let fd = -1;
  try {
    fd = openSync(job.path, 'r');
    const hash = createHash('sha256');
    let position = job.start;
    const end = job.start + job.length;
    while (position < end) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (n === 0) throw new Error('the file ended before the range did (was it changed while being read?)');
      hash.update(buffer.subarray(0, n));
      position += n;
    }
    parentPort.postMessage({ id: job.id, digest: hash.digest('hex') });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err), code: err && err.code });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
});
`;

interface Job {
  id: number;
  path: string;
  start: number;
  length: number;
  resolve: (digest: string) => void;
  reject: (err: Error) => void;
}

interface Reply {
  id: number;
  digest?: string;
  error?: string;
  code?: string;
}

class HashWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Job>();
  private nextId = 1;
  broken = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.settle(job);
      if (reply.digest !== undefined) job.resolve(reply.digest);
      else job.reject(Object.assign(new Error(reply.error ?? 'sha256 worker failed'), { code: reply.code }));
    });
    // A worker that cannot start or dies (out of memory, a thread limit) is not an error of the
    // image: its jobs are hashed again on the main thread, and so is everything after.
    const fail = (): void => {
      if (this.broken) return;
      this.broken = true;
      const orphans = [...this.pending.values()];
      this.pending.clear();
      for (const job of orphans) sha256OfRangeHere(job.path, job.start, job.length).then(job.resolve, job.reject);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  hash(path: string, start: number, length: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, path, start, length, resolve, reject };
      if (this.pending.size === 0) this.worker.ref(); // a pending job keeps the process alive
      this.pending.set(job.id, job);
      this.worker.postMessage({ id: job.id, path, start, length });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(job: Job): void {
    this.pending.delete(job.id);
    if (this.pending.size === 0) this.worker.unref();
  }
}

let shared: HashWorker | null = null;
let workerDisabled = false;

/**
 * The hex sha256 of `length` bytes of the file at `start`, computed by the shared worker thread,
 * or on the main thread when no worker can run (a correctness-preserving fallback: the digest is
 * the same, only the overlap with parsing is lost).
 */
export function sha256OfRange(path: string, start: number, length: number): Promise<string> {
  if (!workerDisabled && shared === null) {
    try {
      shared = new HashWorker();
    } catch {
      // Workers unavailable (a restricted runtime, a thread limit): hash here instead.
      workerDisabled = true;
    }
  }
  if (workerDisabled || shared === null || shared.broken) return sha256OfRangeHere(path, start, length);
  return shared.hash(path, start, length);
}

/** The same digest, computed on the calling thread (the fallback, and a reference for tests). */
export async function sha256OfRangeHere(path: string, start: number, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(length, 1), 1 << 20));
    let position = start;
    const end = start + length;
    while (position < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) throw new Error('the file ended before the range did (was it changed while being read?)');
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/**
 * Stops the shared worker (the next hash starts a new one). Jobs it had not finished are hashed
 * on the main thread, as when a worker dies.
 */
export async function stopHashWorker(): Promise<void> {
  const worker = shared;
  shared = null;
  await worker?.terminate();
}

/** For tests: run every hash on the main thread (true) or through the worker again (false). */
export function disableHashWorker(disabled: boolean): void {
  workerDisabled = disabled;
}
