/**
 * Every relative link in the user documentation (README.md, docs/**, packages/*\/README.md) resolves: to a file or
 * folder inside the repository and, with a #fragment into a Markdown file, to one of its headings (GitHub's anchors).
 * A link that leaves the repository (such as a contract document beside it) is an error, as is a dead one.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** README.md, every .md under docs/, and each package's README.md, as repository-relative paths. */
function documentationFiles(): string[] {
  const files = ['README.md'];
  for (const f of readdirSync(path.join(repo, 'docs'), { recursive: true })) {
    if (String(f).endsWith('.md')) files.push(path.join('docs', String(f)));
  }
  for (const p of readdirSync(path.join(repo, 'packages'))) {
    if (existsSync(path.join(repo, 'packages', p, 'README.md'))) files.push(path.join('packages', p, 'README.md'));
  }
  return files.sort();
}

/** The text outside fenced code blocks, line by line (fenced lines become empty so line numbers stay right). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline links and images `[text](target)` outside code, except absolute URLs (http:, mailto:, …). */
function relativeLinks(file: string, markdown: string): Link[] {
  const links: Link[] = [];
  proseLines(markdown).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ file, line: i + 1, target });
    }
  });
  return links;
}

/** Why a link does not resolve, or undefined when it does. */
function problemWith(link: Link): string | undefined {
  const [rawPath, fragment] = link.target.split('#', 2);
  const from = path.dirname(path.join(repo, link.file));
  const resolved = rawPath === '' ? path.join(repo, link.file) : path.resolve(from, decodeURI(rawPath));
  const inside = path.relative(repo, resolved);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'points outside the repository';
  if (!existsSync(resolved)) return `${inside} does not exist`;
  if (fragment === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
  if (!anchorsOf(readFileSync(resolved, 'utf8')).has(fragment)) return `${inside} has no heading #${fragment}`;
  return undefined;
}

test('every relative link in README.md, docs/ and the package READMEs resolves inside the repository', () => {
  const files = documentationFiles();
  assert.ok(files.includes(path.join('docs', 'formats.md')), 'docs/formats.md is part of the checked documentation');
  const links = files.flatMap((f) => relativeLinks(f, readFileSync(path.join(repo, f), 'utf8')));
  assert.ok(links.length > 50, `found only ${links.length} relative links: the link parser is broken`);
  const broken = links.flatMap((l) => {
    const problem = problemWith(l);
    return problem ? [`${l.file}:${l.line}: (${l.target}) ${problem}`] : [];
  });
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
});

test('the link checker catches a dead file, a missing heading and a link out of the repository', () => {
  const file = path.join('docs', 'README.md');
  const check = (target: string) => problemWith({ file, line: 1, target });
  assert.equal(check('formats.md#common-rules'), undefined);
  assert.equal(check('../README.md#performance'), undefined);
  assert.match(check('no-such-page.md') ?? '', /does not exist/);
  assert.match(check('formats.md#no-such-heading') ?? '', /has no heading/);
  assert.match(check('../../shared/contract.md') ?? '', /outside the repository/);
  assert.deepEqual(
    relativeLinks('x.md', 'see [a](a.md) and `[b](b.md)`\n```\n[c](c.md)\n```\n[d](https://example.com)').map(
      (l) => l.target,
    ),
    ['a.md'],
  );
  assert.ok(anchorsOf('# Retrieval metrics: `tripletkit eval`\n').has('retrieval-metrics-tripletkit-eval'));
  assert.ok(
    anchorsOf('## images — `tripletkit load` (and `split`) output').has('images--tripletkit-load-and-split-output'),
  );
});
