import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const text = (page: string) => readFileSync(join(root, page), 'utf8');

/** The page without its fenced code blocks and code spans, where brackets are not links. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1`*[ \t]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

/** Every inline link and image target: `[text](target)`, `![alt](target "title")`. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1],
  );
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings (outside code blocks), numbered as GitHub numbers repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

/** What is wrong with a relative link from `page`, or undefined when it resolves. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z\d+.-]*:/i.test(target)) return undefined; // https:, mailto:: not ours to check
  const [path, anchor] = target.split('#', 2);
  const file = path === '' ? join(root, page) : resolve(dirname(join(root, page)), path);
  if (!file.startsWith(root)) return `${target}: outside the repository`;
  if (!existsSync(file)) return `${target}: no file ${relative(root, file)}`;
  if (anchor === undefined || !file.endsWith('.md')) return undefined;
  if (!anchors(readFileSync(file, 'utf8')).has(anchor)) {
    return `${target}: no heading #${anchor} in ${relative(root, file)}`;
  }
  return undefined;
}

describe('docs: helpers', () => {
  it.each([
    { heading: 'Where does a change go', expected: 'where-does-a-change-go' },
    { heading: 'The CLI', expected: 'the-cli' },
    { heading: 'Writing a lesson', expected: 'writing-a-lesson' },
    { heading: 'Scenario format: `seed`', expected: 'scenario-format-seed' },
    { heading: 'Load and scale — 1,000 clients', expected: 'load-and-scale--1000-clients' },
  ])('slug($heading) is $expected', ({ heading, expected }) => {
    expect(slug(heading)).toBe(expected);
  });

  it.each([
    { markdown: 'See [a](docs/a.md) and ![b](b.png "B").', expected: ['docs/a.md', 'b.png'] },
    { markdown: 'Code `[a](x.md)` is not a link.', expected: [] },
    { markdown: '```md\n[a](x.md)\n```\n[b](#b)', expected: ['#b'] },
    { markdown: '````md\n```step\n[a](x.md)\n```\n````\n[c](c.md)', expected: ['c.md'] },
  ])('linkTargets($markdown) is $expected', ({ markdown, expected }) => {
    expect(linkTargets(markdown)).toEqual(expected);
  });

  it.each([
    { target: 'docs/scenarios.md', broken: true }, // relative to docs/: docs/docs/scenarios.md
    { target: 'scenarios.md#fields', broken: false },
    { target: 'scenarios.md#no-such-heading', broken: true },
    { target: 'no-such-page.md', broken: true },
    { target: '../scenarios/', broken: false },
    { target: 'https://example.org/missing', broken: false },
  ])('from docs/cli.md, $target is broken: $broken', ({ target, broken }) => {
    expect(brokenLink('docs/cli.md', target) !== undefined).toBe(broken);
  });
});

describe('docs: README.md and docs/*.md', () => {
  it.each(pages)('%s: every relative link leads to a file, and to a heading it names', (page) => {
    const broken = linkTargets(text(page))
      .map((target) => brokenLink(page, target))
      .filter((problem) => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it('README links every page of docs/', () => {
    const linked = new Set(linkTargets(text('README.md')).map((target) => target.split('#')[0]));
    expect(pages.filter((page) => page !== 'README.md' && !linked.has(page))).toEqual([]);
  });

  it('README keeps the two commands a newcomer needs', () => {
    expect(text('README.md')).toContain('npm ci && npm start');
    expect(text('README.md')).toContain('npm ci && npm test');
  });
});
