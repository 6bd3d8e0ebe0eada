import { describe, expect, it } from 'vitest';
import { splitLinks } from './links';

describe('splitLinks', () => {
  it('turns http and https addresses into links and keeps the rest as text', () => {
    expect(splitLinks('詳しくは https://example.jp/a?b=1&c=2 をご覧ください。')).toEqual([
      { text: '詳しくは ' },
      { url: 'https://example.jp/a?b=1&c=2' },
      { text: ' をご覧ください。' },
    ]);
    expect(splitLinks('http://example.jp')).toEqual([{ url: 'http://example.jp' }]);
  });

  it('ends an address at Japanese punctuation, brackets and a sentence’s full stop', () => {
    expect(splitLinks('（https://example.jp/x）。')).toEqual([
      { text: '（' },
      { url: 'https://example.jp/x' },
      { text: '）。' },
    ]);
    expect(splitLinks('See https://example.jp/x.')).toEqual([
      { text: 'See ' },
      { url: 'https://example.jp/x' },
      { text: '.' },
    ]);
    expect(splitLinks('https://example.jp/a、https://example.jp/b')).toEqual([
      { url: 'https://example.jp/a' },
      { text: '、' },
      { url: 'https://example.jp/b' },
    ]);
  });

  it('never links other schemes or markup', () => {
    const text = 'javascript:alert(1) <a href="https://evil.example/">x</a> data:text/html,hi';
    const parts = splitLinks(text);
    expect(parts.map((p) => ('url' in p ? p.url : null)).filter(Boolean)).toEqual(['https://evil.example/']);
    expect(parts.map((p) => ('url' in p ? p.url : p.text)).join('')).toBe(text);
  });

  it('keeps text without addresses whole', () => {
    expect(splitLinks('一行目\n二行目')).toEqual([{ text: '一行目\n二行目' }]);
    expect(splitLinks('')).toEqual([]);
  });
});
