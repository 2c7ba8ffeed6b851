import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { contentHasher } from '../content-hasher.js';

/**
 * Hashes of file byte ranges, off the main thread, so that hashing overlaps parsing on a second
 * core. Two worker threads at most, each shared by the whole process:
 *
 * - the sha256 worker hashes whole layer blobs (their digest and diffId) while the main thread
 *   parses them, and then analyses the image;
 * - the xxh64 worker hashes the contents of the big files whose hashes were left for later (see
 *   src/layers/unhashed.ts), which the main thread never reads (it skips over their data).
 *
 * A worker reads its ranges itself: the page cache serves the same bytes to every reader. The
 * workers are plain CommonJS evaluated from a string, so they run the same from dist/ and under
 * vitest (which runs the TypeScript sources and has no compiled file to point a Worker at). Each is
 * unref'd whenever no job is pending, so it never keeps the process alive.
 */

/** The workers' read size: small enough that the bytes are still in the L1/L2 cache when hashed. */
const WORKER_READ = 64 * 1024;

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(${WORKER_READ});
let xxhash = null;

function eachBlock(path, start, length, fn) {
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    let position = start;
    const end = start + length;
    while (position < end) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (n === 0) throw new Error('the file ended before the range did (was it changed while being read?)');
      fn(n === buffer.length ? buffer : buffer.subarray(0, n));
      position += n;
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function reply(id, compute) {
  try {
    parentPort.postMessage({ id, digest: compute() });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err), code: err && err.code });
  }
}

parentPort.on('message', (job) => {
  if (job.kind === 'sha256') {
    reply(job.id, () => {
      const hash = createHash('sha256');
      eachBlock(job.path, job.start, job.length, (block) => hash.update(block));
      return hash.digest('hex');
    });
    return;
  }
  // xxh64 jobs wait for the wasm module once; promise callbacks keep them in order.
  xxhash ??= require(workerData.xxhashModule)();
  xxhash.then(
    (api) => reply(job.id, () => {
      const hash = api.create64();
      eachBlock(job.path, job.start, job.length, (block) => hash.update(block));
      return hash.digest().toString(16).padStart(16, '0');
    }),
    (err) => parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) }),
  );
});
`;

type Kind = 'sha256' | 'xxh64';

interface Job {
  id: number;
  kind: Kind;
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
    // The xxhash-wasm package as CommonJS, by absolute path: an eval'd worker resolves modules
    // from the current directory, not from here.
    const xxhashModule = createRequire(import.meta.url).resolve('xxhash-wasm');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { xxhashModule } });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.settle(job);
      if (reply.digest !== undefined) job.resolve(reply.digest);
      else job.reject(Object.assign(new Error(reply.error ?? 'hash worker failed'), { code: reply.code }));
    });
    // A worker that cannot start or dies (out of memory, a thread limit) is not an error of the
    // image: its jobs are hashed again on the main thread, and so is everything after.
    const fail = (): void => {
      if (this.broken) return;
      this.broken = true;
      const orphans = [...this.pending.values()];
      this.pending.clear();
      for (const job of orphans) hashHere(job.kind, job.path, job.start, job.length).then(job.resolve, job.reject);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  hash(kind: Kind, path: string, start: number, length: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, kind, path, start, length, resolve, reject };
      if (this.pending.size === 0) this.worker.ref(); // a pending job keeps the process alive
      this.pending.set(job.id, job);
      this.worker.postMessage({ id: job.id, kind, path, start, length });
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

const shared: Record<Kind, HashWorker | null> = { sha256: null, xxh64: null };
let workersDisabled = false;

function hashWith(kind: Kind, path: string, start: number, length: number): Promise<string> {
  if (!workersDisabled && shared[kind] === null) {
    try {
      shared[kind] = new HashWorker();
    } catch {
      // Workers unavailable (a restricted runtime, a thread limit): hash here instead.
      workersDisabled = true;
    }
  }
  const worker = shared[kind];
  if (workersDisabled || worker === null || worker.broken) return hashHere(kind, path, start, length);
  return worker.hash(kind, path, start, length);
}

/**
 * The hex sha256 of `length` bytes of the file at `start`, computed by the sha256 worker, or on the
 * main thread when no worker can run (a correctness-preserving fallback: the digest is the same,
 * only the overlap with parsing is lost).
 */
export function sha256OfRange(path: string, start: number, length: number): Promise<string> {
  return hashWith('sha256', path, start, length);
}

/** The xxh64 of a file range as the index writes it (16 hex digits), by the xxh64 worker or, failing that, here. */
export function xxh64OfRange(path: string, start: number, length: number): Promise<string> {
  return hashWith('xxh64', path, start, length);
}

function hashHere(kind: Kind, path: string, start: number, length: number): Promise<string> {
  return kind === 'sha256' ? sha256OfRangeHere(path, start, length) : xxh64OfRangeHere(path, start, length);
}

/** Calls `fn` with each block of a file range, read on this thread. */
async function eachBlockHere(path: string, start: number, length: number, fn: (block: Buffer) => void): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(length, 1), 1 << 20));
    let position = start;
    const end = start + length;
    while (position < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) throw new Error('the file ended before the range did (was it changed while being read?)');
      fn(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** The sha256, computed on the calling thread (the fallback, and a reference for tests). */
export async function sha256OfRangeHere(path: string, start: number, length: number): Promise<string> {
  const hash = createHash('sha256');
  await eachBlockHere(path, start, length, (block) => hash.update(block));
  return hash.digest('hex');
}

/** The xxh64, computed on the calling thread (the fallback, and a reference for tests). */
export async function xxh64OfRangeHere(path: string, start: number, length: number): Promise<string> {
  const hash = (await contentHasher()).create64();
  await eachBlockHere(path, start, length, (block) => hash.update(block));
  return hash.digest().toString(16).padStart(16, '0');
}

/**
 * Stops the shared workers (the next hash starts new ones). Jobs they had not finished are hashed
 * on the main thread, as when a worker dies.
 */
export async function stopHashWorkers(): Promise<void> {
  const workers = [shared.sha256, shared.xxh64];
  shared.sha256 = null;
  shared.xxh64 = null;
  await Promise.all(workers.map((w) => w?.terminate()));
}

/** For tests: run every hash on the main thread (true) or through the workers again (false). */
export function disableHashWorkers(disabled: boolean): void {
  workersDisabled = disabled;
}
