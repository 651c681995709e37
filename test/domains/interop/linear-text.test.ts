// The text readers of imports and forms run in time linear in their input: each input below
// took 2 to 40 seconds with the patterns they replace (/[ \t]+$/, /\s*\n\s*/g, a lazy <pre> split).
import { describe, expect, test } from 'vitest';
import { htmlToText, joinLines, tidyText } from '../../../server/domains/interop/frab-import/text.ts';
import { linksText } from '../../../server/web/shared/forms/read.ts';

const N = 100_000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('text readers on hostile lengths', () => {
  test('tidyText of a line of 100,000 spaces then a letter', () => {
    const { value, ms } = timed(() => tidyText(`${' '.repeat(N)}x\nnext ${' '.repeat(N)}`));
    expect(value).toBe('x\nnext');
    expect(ms).toBeLessThan(1000);
  });

  test('joinLines of 100,000 spaces around no line break, and around one', () => {
    const spaces = ' '.repeat(N);
    const { value, ms } = timed(() => [joinLines(`a${spaces}b`), joinLines(`a${spaces}\n${spaces}b`)]);
    expect(value).toEqual([`a${spaces}b`, 'a b']);
    expect(ms).toBeLessThan(1000);
  });

  test('htmlToText of 25,000 unclosed <pre', () => {
    const { value, ms } = timed(() => htmlToText(`<p>a</p>${'<pre'.repeat(25_000)}`));
    expect(value.startsWith('a')).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  test('a link title of 100,000 spaces', () => {
    const { value, ms } = timed(() => linksText([{ url: 'https://example.org', title: `a${' '.repeat(N)}b` }]));
    expect(value).toBe(`https://example.org a${' '.repeat(N)}b`);
    expect(ms).toBeLessThan(1000);
  });
});

describe('the linear forms give what the patterns they replace gave', () => {
  const samples = ['a \n b', 'a\n\n\tb', ' \n ', 'a  b', 'a\r\nb', 'x \t', 'line  \nnext\t\n', ''];
  test.each(samples)('joinLines(%j)', (sample) => {
    expect(joinLines(sample)).toBe(sample.replace(/\s*[\r\n]\s*/g, ' '));
  });

  test('htmlToText keeps <pre> blocks apart from the text around them', () => {
    expect(htmlToText('<p>one   two</p><pre>  kept  \n  lines</pre><p>three</p>')).toBe('one two\n\n  kept\n  lines\n\nthree');
  });
});
