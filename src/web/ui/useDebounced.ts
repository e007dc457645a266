import { useEffect, useRef, useState } from 'react';

/** The value, once it has stopped changing for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * A text box bound to a value stored elsewhere (the address bar): typing is local and pushed once
 * it settles; an outside change (Back, "clear filters") replaces what is in the box.
 */
export function useSyncedText(
  stored: string,
  push: (v: string) => void,
  ms = 300,
): [string, (v: string) => void] {
  const [text, setText] = useState(stored);
  const debounced = useDebounced(text, ms);
  const latest = useRef({ stored, push });
  latest.current = { stored, push };
  useEffect(() => {
    const v = debounced.trim();
    if (v !== latest.current.stored) latest.current.push(v);
  }, [debounced]);
  useEffect(() => {
    setText((s) => (s.trim() === stored ? s : stored));
  }, [stored]);
  return [text, setText];
}
