import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { parseKeys, type KeyEvent } from './parse-keys.js';

/**
 * The app's single keypress layer: raw input, split into sequences by Ink, parsed by parseKeys.
 * Components never read stdin themselves, so mouse reports and escape sequences are decoded once
 * and never reach a text input as characters.
 */
export function useKeypress(onEvent: (event: KeyEvent) => void): void {
  const {
    internal_eventEmitter: emitter,
    setRawMode,
    isRawModeSupported,
  } = useStdin() as ReturnType<typeof useStdin> & {
    internal_eventEmitter?: NodeJS.EventEmitter;
  };
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const listener = (data: string): void => {
      for (const event of parseKeys(data)) handler.current(event);
    };
    emitter?.on('input', listener);
    return () => {
      emitter?.off('input', listener);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [emitter, setRawMode, isRawModeSupported]);
}
