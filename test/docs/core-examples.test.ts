/**
 * Every `ts` block of docs/core.md runs as a module of its own (its relative imports resolved from docs/), so
 * the page's examples cannot rot: a renamed export, a changed result or a failed assertion fails here.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const page = join(root, 'docs/core.md');
const outDir = join(root, 'test-results/docs-examples');

/** The fenced `ts` blocks of a markdown text, with the line each starts on. */
function tsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown))
    blocks.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1]! });
  return blocks;
}

/** Relative import paths rewritten from docs/ to where the example is written. */
const relocate = (code: string) =>
  code.replace(/(from\s+')(\.{1,2}\/[^']+)(')/g, (_, a: string, spec: string, b: string) => {
    const target = relative(outDir, resolve(root, 'docs', spec)).replaceAll('\\', '/');
    return `${a}${target.startsWith('.') ? target : `./${target}`}${b}`;
  });

describe('docs/core.md examples', () => {
  const blocks = tsBlocks(readFileSync(page, 'utf8'));

  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(tsBlocks('a\n```ts\nconst x = 1;\n```\n```js\nno\n```\n')).toEqual([
      { line: 2, code: 'const x = 1;\n' },
    ]);
  });

  mkdirSync(outDir, { recursive: true });
  for (const [k, { line, code }] of blocks.entries())
    it(`example ${k + 1} (docs/core.md line ${line}) runs`, async () => {
      const file = join(outDir, `core-example-${k + 1}.ts`);
      writeFileSync(file, relocate(code));
      await import(/* @vite-ignore */ file);
    });
});
