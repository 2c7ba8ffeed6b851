import { useStdin } from 'ink';
import { useLayoutEffect, useRef } from 'react';
import { parseKeys, type KeyEvent } from './parse-keys.js';

/**
 * The app's single keypress layer: raw input, as Ink reads it from stdin, parsed by parseKeys.
 * Components never read stdin themselves, so mouse reports and escape sequences are decoded once
 * and never reach a text input as characters. Ink reads stdin on 'readable' once raw mode is on;
 * each chunk it reads is also emitted as 'data' (a stream's contract), which is what this hears.
 */
export function useKeypress(onEvent: (event: KeyEvent) => void): void {
  const { stdin, setRawMode, isRawModeSupported } = useStdin();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  // Attached as the first frame is committed, so that a key pressed once it shows is never missed.
  useLayoutEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const listener = (data: string | Buffer): void => {
      for (const event of parseKeys(String(data))) handler.current(event);
    };
    stdin.on('data', listener);
    return () => {
      stdin.off('data', listener);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [stdin, setRawMode, isRawModeSupported]);
}
