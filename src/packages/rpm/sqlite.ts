import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';

/**
 * rpm's sqlite database is read with sql.js, SQLite compiled to WebAssembly: no native addon. Its
 * start-up is asynchronous (the module compiles), so it is loaded once, and only for an image that
 * has an rpmdb, before the (synchronous) analysis runs.
 */
let loaded: Promise<SqlJsStatic> | null = null;
let ready: SqlJsStatic | null = null;

export function loadSqlite(): Promise<SqlJsStatic> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
    const { default: initSqlJs } = await import('sql.js');
    ready = await initSqlJs({ locateFile: () => wasm });
    return ready;
  })();
  return loaded;
}

/** The loaded module, or null when `loadSqlite` has not finished. */
export function sqliteIfLoaded(): SqlJsStatic | null {
  return ready;
}
