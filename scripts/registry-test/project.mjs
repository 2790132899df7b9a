// The plain .mjs a user writes in a project that installed @tripletkit/miner and apache-arrow@18 from the registry:
// mines the embeddings file the CLI wrote (as the CLI does), then the same embeddings re-written by apache-arrow 18,
// and reports the kernel. Printed as one JSON line.
export const projectScript = `import { readFileSync, writeFileSync } from 'node:fs';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { kernelInfo, mine, mineFile } from '@tripletkit/miner';

const arrow = JSON.parse(readFileSync('node_modules/apache-arrow/package.json', 'utf8')).version;
const opts = { strategy: 'semi-hard', margin: 0.5 };
const direct = await mineFile({ embeddings: 'emb.arrow', output: 'triplets.arrow', ...opts });
// The same embeddings through the user's apache-arrow: read, write back with v18, mine that file.
const table = tableFromIPC(readFileSync('emb.arrow'));
writeFileSync('emb18.arrow', tableToIPC(table, 'file'));
const again = await mineFile({ embeddings: 'emb18.arrow', output: 'triplets18.arrow', ...opts });
if (again.triplets !== direct.triplets) throw new Error('apache-arrow 18 file mined differently');
const emb = table.getChild('embedding');
const dim = emb.type.listSize;
const values = new Float32Array(table.numRows * dim);
for (let r = 0; r < table.numRows; r++) values.set(emb.get(r).toArray(), r * dim);
const labels = Int32Array.from(table.getChild('label').toArray());
const inMemory = mine(values, dim, labels, opts).anchors.length;
if (inMemory !== direct.triplets) throw new Error('mine() and mineFile() disagree');
console.log(JSON.stringify({ arrow, kernel: kernelInfo(), triplets: direct.triplets, inMemory }));
`;
