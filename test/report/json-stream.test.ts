import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import { jsonPieces, StreamedArray, writeJson } from '../../src/report/json-stream.js';
import { buildJsonReport, streamedJsonReport } from '../../src/report/json.js';
import { fixtures } from '../helpers/paths.js';

const streamed = <T>(items: T[]) => new StreamedArray(items.length, (index) => items[index]!);

/** A slow stream: each write completes a tick later, and with its tiny buffer it asks the writer to wait. */
function slowSink() {
  const chunks: string[] = [];
  let drains = 0;
  const sink = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      setImmediate(done);
    },
  });
  sink.on('drain', () => drains++);
  return { sink, text: () => chunks.join(''), drains: () => drains };
}

describe('jsonPieces', () => {
  it('writes what JSON.stringify(value, null, 2) writes, with arrays streamed at any depth', () => {
    const plain = {
      a: 1,
      skipped: undefined,
      text: 'line\nbreak "quoted" ünïcode \u2028',
      empty: [],
      emptyObject: {},
      rows: [
        { path: '/a', size: 1, linkTarget: undefined },
        { path: '/b', size: 2 },
      ],
      nested: [{ files: [{ x: 1 }, { y: [1, 2] }] }, { files: [] }],
      tail: null,
    };
    const lazy = {
      ...plain,
      empty: streamed([]),
      rows: streamed(plain.rows),
      nested: streamed(plain.nested.map((n) => ({ files: streamed(n.files) }))),
    };
    expect([...jsonPieces(lazy)].join('')).toBe(JSON.stringify(plain, null, 2));
    expect([...jsonPieces(streamed([1, undefined, 'x']))].join('')).toBe(JSON.stringify([1, undefined, 'x'], null, 2));
    expect([...jsonPieces({ only: streamed([]) })].join('')).toBe(JSON.stringify({ only: [] }, null, 2));
    // Longer than a batch, with a streamed element in the middle of plain ones.
    const long = Array.from({ length: 2500 }, (_, i) =>
      i === 1500 ? { inner: [i, { deep: i }] } : { i, path: `/p/${i}` },
    );
    const lazyLong = long.map((element, i) => (i === 1500 ? { inner: streamed([i, { deep: i }]) } : element));
    expect([...jsonPieces({ layers: streamed([{ files: streamed(lazyLong) }]) })].join('')).toBe(
      JSON.stringify({ layers: [{ files: long }] }, null, 2),
    );
  });
});

describe('the streamed JSON report', () => {
  const images = [
    fixtures('demo/demo.tar'),
    ...readdirSync(fixtures('cases'))
      .filter((name) => name.endsWith('.tar'))
      .map((name) => fixtures('cases', name)),
  ];
  it.each(images)('equals JSON.stringify of the whole report, in small chunks with back-pressure: %s', async (path) => {
    const image = await openImage(path);
    const analysis = analyzeImage(image);
    const { sink, text, drains } = slowSink();
    await writeJson(streamedJsonReport(image, analysis), sink, 256);
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(text()).toBe(`${JSON.stringify(buildJsonReport(image, analysis), null, 2)}\n`);
    expect(drains()).toBeGreaterThan(1); // written in pieces, waiting for the stream between them
  });
});
