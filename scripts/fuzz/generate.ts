/** Turns (run seed, input number) into one mutated input: the same pair always gives the same bytes. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Input } from './archive.js';
import { MUTATORS } from './mutators.js';
import { Rng } from './prng.js';

/** The fixture directories every run draws its starting points from. */
export const SEED_DIRS = ['formats', 'cases', 'bad', 'demo'] as const;

export interface Seed {
  /** Path under fixtures/, such as `formats/basic.oci-archive.tar`. */
  name: string;
  input: Input;
}

export interface Applied {
  mutator: string;
  detail: string;
}

export interface FuzzInput {
  index: number;
  seed: string;
  input: Input;
  mutations: Applied[];
}

/** Every image-like fixture (documentation and expectations aside), in a fixed order. */
export function loadSeeds(fixturesDir: string): Seed[] {
  const seeds: Seed[] = [];
  for (const sub of SEED_DIRS) {
    const dir = join(fixturesDir, sub);
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'README.md' || entry === 'expected.json') continue;
      const path = join(dir, entry);
      const name = `${sub}/${entry}`;
      if (statSync(path).isDirectory()) seeds.push({ name, input: { kind: 'dir', files: readTree(path) } });
      else seeds.push({ name, input: { kind: 'file', bytes: readFileSync(path) } });
    }
  }
  return seeds;
}

function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path).split('\\').join('/'), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

/** Input `index` of the run seeded with `runSeed`: one to three mutations of one fixture. */
export async function makeInput(runSeed: number, index: number, seeds: readonly Seed[]): Promise<FuzzInput> {
  const rng = new Rng(runSeed, index);
  const seed = rng.pick(seeds);
  let input = seed.input;
  const mutations: Applied[] = [];
  const wanted = rng.weighted([
    [70, 1],
    [20, 2],
    [10, 3],
  ]);
  const weighted = MUTATORS.map((m) => [m.weight, m] as const);
  for (let tries = 0; mutations.length < wanted && tries < 20; tries++) {
    const mutator = rng.weighted(weighted);
    const result = await mutator.apply(input, rng);
    if (!result) continue;
    input = result.input;
    mutations.push({ mutator: mutator.name, detail: result.detail });
  }
  return { index, seed: seed.name, input, mutations };
}

/** The file name an input is written under: the seed's own, so its extension (.tar.gz, .json…) is kept. */
export function inputFileName(input: FuzzInput): string {
  return `${String(input.index).padStart(6, '0')}-${input.seed.replace(/\//g, '_')}`;
}

/** Writes the input (a file, or a layout directory's files) at `path`. */
export function writeInput(input: Input, path: string): void {
  if (input.kind === 'file') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, input.bytes);
    return;
  }
  mkdirSync(path, { recursive: true });
  for (const [name, data] of input.files) {
    // A renamed file may climb out of the layout ("../x"): keep it inside the input's own directory.
    const safe = name
      .split('/')
      .filter((p) => p !== '..' && p !== '.' && p !== '')
      .join('/');
    if (safe === '') continue;
    const full = join(path, safe);
    mkdirSync(dirname(full), { recursive: true });
    try {
      writeFileSync(full, data);
    } catch {
      // A name that is also a directory (`x` and `x/y`): the first one written wins.
    }
  }
}
