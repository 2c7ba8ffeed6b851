import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = ['chromium', 'chromium-browser', 'google-chrome']
  .map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim())
  .find((path) => path !== '');

export interface PageRun {
  /** The DOM once the page's scripts ran. */
  dom: string;
  /** What chromium logged, console messages included. */
  log: string;
  /** Requests that reached the proxy: anything the page tried to fetch from a network. */
  requests: string[];
}

/**
 * Opens a file in headless chromium, as this machine's probe does (no sandbox as root, no background
 * networking), with every network request sent to a recording proxy on 127.0.0.1, so a test can
 * prove the page asked for nothing. Optionally writes a screenshot.
 */
export async function openInChromium(file: string, screenshot?: string): Promise<PageRun> {
  if (!chromiumPath) throw new Error('chromium is not installed');
  const requests: string[] = [];
  const proxy: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  proxy.on('connect', (req, socket) => {
    requests.push(`CONNECT ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  const profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
  const common = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-logging=stderr',
    '--v=0',
    `--user-data-dir=${profile}`,
    `--proxy-server=http://127.0.0.1:${port}`,
    '--proxy-bypass-list=<-loopback>',
    '--window-size=1300,1800',
    '--virtual-time-budget=5000',
  ];
  try {
    const dom = await run([...common, '--dump-dom', `file://${file}`]);
    if (screenshot) await run([...common, `--screenshot=${screenshot}`, `file://${file}`]);
    return { dom: dom.stdout, log: dom.stderr, requests };
  } finally {
    proxy.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(chromiumPath!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`chromium exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}
