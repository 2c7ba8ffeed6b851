import { Box, Text, useApp, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { ImageAnalysis } from '../analysis/analyze.js';
import type { Progress } from '../image/types.js';
import type { ImageIndex } from '../image/types.js';
import { LoadingScreen } from './components/loading-screen.js';
import { useKeypress } from './input/use-keypress.js';
import { Explorer } from './explorer.js';
import type { Theme } from './theme.js';

export interface Loaded {
  image: ImageIndex;
  analysis: ImageAnalysis;
}

export interface AppProps {
  target: string;
  /** Reads and analyses the image, reporting progress; runs off the render path. */
  load: (onProgress: (p: Progress) => void, onPhase: (phase: 'analysing') => void) => Promise<Loaded>;
  theme: Theme;
  /** Fixed size for tests; otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  onError: (error: unknown) => void;
  now?: Date;
}

type Phase =
  | { name: 'reading' | 'analysing'; progress: Progress | null }
  | { name: 'ready'; loaded: Loaded }
  | { name: 'failed' };

function useTerminalSize(fixed?: { columns: number; rows: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return size;
}

export function App({ target, load, theme, size, onError, now }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize(size);
  const [phase, setPhase] = useState<Phase>({ name: 'reading', progress: null });

  useEffect(() => {
    let cancelled = false;
    let last = 0;
    load(
      (progress) => {
        const now = Date.now();
        // A frame every 50 ms is smooth enough, and leaves the CPU to reading.
        if (now - last < 50) return;
        last = now;
        if (!cancelled) setPhase({ name: 'reading', progress });
      },
      () => !cancelled && setPhase((p) => ({ name: 'analysing', progress: p.name === 'reading' ? p.progress : null })),
    ).then(
      (loaded) => !cancelled && setPhase({ name: 'ready', loaded }),
      (error) => {
        if (cancelled) return;
        setPhase({ name: 'failed' });
        onError(error);
        exit();
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // Raw mode from the first frame: keys typed while loading are not echoed, and q or ctrl+c quit.
  useKeypress((event) => {
    if (phase.name === 'ready') return;
    if (event.kind === 'key' && event.name === 'ctrl+c') exit();
    if (event.kind === 'text' && event.text.includes('q')) exit();
  });

  const height = Math.max(1, rows - 1);
  if (phase.name === 'ready') {
    return (
      <Explorer
        image={phase.loaded.image}
        analysis={phase.loaded.analysis}
        columns={columns}
        rows={rows}
        theme={theme}
        onQuit={() => exit()}
        now={now}
      />
    );
  }
  if (phase.name === 'failed')
    return (
      <Box height={height}>
        <Text> </Text>
      </Box>
    );
  return (
    <LoadingScreen
      target={target}
      progress={phase.progress}
      phase={phase.name}
      width={columns}
      height={height}
      theme={theme}
    />
  );
}
