/**
 * Seeded synthetic embeddings for the mining benchmark: class centres on the unit sphere plus Gaussian noise of
 * standard deviation `sigma` per coordinate — a model part-way through training, where classes overlap enough for
 * semi-hard negatives to exist. Reproducible from (n, dim, classes, sigma, seed).
 */
export interface BenchData {
  emb: Float32Array;
  labels: Int32Array;
}

export function benchData(n: number, dim: number, classes: number, sigma: number, seed = 1): BenchData {
  let s = seed >>> 0 || 1;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const centers = new Float32Array(classes * dim);
  for (let c = 0; c < classes; c++) {
    let q = 0;
    for (let k = 0; k < dim; k++) {
      const v = gauss();
      centers[c * dim + k] = v;
      q += v * v;
    }
    q = Math.sqrt(q);
    for (let k = 0; k < dim; k++) centers[c * dim + k] /= q;
  }
  const emb = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let k = 0; k < dim; k++) emb[i * dim + k] = centers[c * dim + k] + sigma * gauss();
  }
  return { emb, labels };
}
