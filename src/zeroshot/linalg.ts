/**
 * The small dense linear algebra of the zero-shot proxies, in float64 on top of ml-matrix: log-determinants of
 * Gram-like matrices (NASWOT) and the eigenvalue score of a correlation matrix (jacob_cov).
 */
import { CholeskyDecomposition, EigenvalueDecomposition, LuDecomposition, Matrix } from 'ml-matrix';

/** `n × n` row-major array as an ml-matrix Matrix. */
function toMatrix(a: ArrayLike<number>, n: number): Matrix {
  if (a.length !== n * n) throw new Error(`expected a ${n}×${n} matrix, got ${a.length} values`);
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, a[i * n + j]);
  return m;
}

/**
 * log |det A| of a symmetric matrix (row-major, n × n): by Cholesky when A is positive definite, else by LU.
 * −Infinity when A is singular.
 */
export function logAbsDet(a: ArrayLike<number>, n: number): number {
  const m = toMatrix(a, n);
  const chol = new CholeskyDecomposition(m);
  if (chol.isPositiveDefinite()) {
    const l = chol.lowerTriangularMatrix;
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log(l.get(i, i));
    return 2 * s;
  }
  const lu = new LuDecomposition(m);
  if (lu.isSingular()) return -Infinity;
  const u = lu.upperTriangularMatrix;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(u.get(i, i)));
  return s;
}

/** Pearson correlation matrix (row-major, rows × rows) of the rows of `x` (rows × cols, row-major). */
export function rowCorrelation(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  if (x.length !== rows * cols) throw new Error(`expected ${rows}×${cols} values, got ${x.length}`);
  const centred = new Float64Array(rows * cols);
  const norms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let j = 0; j < cols; j++) mean += x[i * cols + j];
    mean /= cols;
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = x[i * cols + j] - mean;
      centred[i * cols + j] = v;
      ss += v * v;
    }
    norms[i] = Math.sqrt(ss);
  }
  const c = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let k = i; k < rows; k++) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += centred[i * cols + j] * centred[k * cols + j];
      const r = dot / (norms[i] * norms[k]);
      c[i * rows + k] = r;
      c[k * rows + i] = r;
    }
  }
  return c;
}

/** Eigenvalues of a symmetric matrix (row-major, n × n), ascending. */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  const e = new EigenvalueDecomposition(toMatrix(a, n), { assumeSymmetric: true });
  return Float64Array.from(e.realEigenvalues).sort();
}

/**
 * Mellor et al.'s jacob_cov score of per-image input gradients (rows × cols): with λ the eigenvalues of their
 * correlation matrix and k = 1e-5, −Σ (log(λ + k) + 1/(λ + k)). Higher when the images' gradients are less
 * correlated. A row with no variation makes the correlation undefined: the score is then NaN.
 */
export function jacobCovScore(grads: ArrayLike<number>, rows: number, cols: number): number {
  const k = 1e-5;
  const corr = rowCorrelation(grads, rows, cols);
  if (corr.some((v) => !Number.isFinite(v))) return NaN;
  let s = 0;
  for (const l of symmetricEigenvalues(corr, rows)) s += Math.log(l + k) + 1 / (l + k);
  return -s;
}
