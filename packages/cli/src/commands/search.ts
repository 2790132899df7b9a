import type { SearchOptions, SearchResult } from '@tripletkit/trainer';
import { searchOptionSpecs } from '@tripletkit/trainer/options';
import { defineCommand } from '../command.ts';
import { type ArgsOf, flags, optionsFrom } from '../flags.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const search: typeof import('@tripletkit/trainer').search = async (o) =>
  (await import('@tripletkit/trainer')).search(o);

type SearchArgs = ArgsOf<typeof searchOptionSpecs, 'index' | 'query'>;

const d = (x: number) => x.toFixed(4);

/** `tripletkit search`: which known items (and classes) is this new image nearest to? */
export const searchCommand = defineCommand<SearchArgs, SearchResult>({
  command: 'search',
  describe: 'Nearest gallery images of query images, and with --by-class the distance to every class',
  options: flags(searchOptionSpecs, ['index', 'query', 'k', 'byClass', 'threshold', 'model', 'backend'], {
    index: { demandOption: true },
    // no -q: that is the global --quiet
    query: { demandOption: true },
  }),
  examples: [
    ['tripletkit search --index gallery.idx.arrow --query new.png -k 5', 'the 5 most similar gallery images'],
    ['tripletkit search --index digits.idx.arrow -q unseen/ --by-class --threshold 0.9 --json', 'classify, or unknown'],
  ],
  run: ({ index, query, ...args }) => search({ ...optionsFrom<SearchOptions>(searchOptionSpecs, args), index, query }),
  summarize: (r) => {
    const lines: string[] = [];
    for (const q of r.queries) {
      lines.push(`${q.path}${q.class !== null ? ` (class ${q.class})` : ''}${q.predicted ? ` → ${q.predicted}` : ''}`);
      for (const [i, n] of q.neighbors.entries()) lines.push(`  ${i + 1}. ${d(n.distance)}  ${n.class}  ${n.path}`);
      if (q.classes) {
        lines.push(`  by class (nearest member / centroid):`);
        for (const c of q.classes) lines.push(`    ${c.class}: ${d(c.nearest)} / ${d(c.centroid)}  (${c.nearestPath})`);
      }
    }
    lines.push(
      '',
      `${r.queries.length} queries against ${r.galleryRows} gallery images: ${Math.round(r.queriesPerSecond.search)} queries/s searching, ${r.queriesPerSecond.total.toFixed(1)} queries/s in all (loading, embedding)`,
    );
    if (r.skipped.length) lines.push(`${r.skipped.length} query files could not be read and were skipped`);
    return lines;
  },
});
