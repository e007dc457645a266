import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const locales = { en: flatten(en), 'zh-CN': flatten(zhCN) };

describe('web translations', () => {
  it('English and Simplified Chinese have exactly the same keys', () => {
    expect([...locales['zh-CN'].keys()].sort()).toEqual([...locales.en.keys()].sort());
  });

  it.each(Object.entries(locales))('%s has no empty values', (_name, strings) => {
    const empty = [...strings].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it.each(Object.entries(locales))('%s uses the same {{placeholders}} as English', (_name, strings) => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...locales.en].filter(([k, v]) => {
      const other = strings.get(k);
      return other !== undefined && placeholders(other).join() !== placeholders(v).join();
    });
    expect(mismatched.map(([k]) => k)).toEqual([]);
  });

  it('the Chinese screens are actually translated (navigation is not left in English)', () => {
    const navKeys = [...locales.en.keys()].filter((k) => k.startsWith('nav.'));
    const same = navKeys.filter((k) => locales['zh-CN'].get(k) === locales.en.get(k));
    expect(same).toEqual([]);
  });
});
