/** Central finite differences of a scalar function of a [r, c] matrix (float64 in JS). */
export function numericGrad(f: (x: number[][]) => number, x: number[][], eps = 1e-3): number[][] {
  return x.map((row, i) =>
    row.map((_, j) => {
      const plus = x.map((r) => r.slice());
      const minus = x.map((r) => r.slice());
      plus[i][j] += eps;
      minus[i][j] -= eps;
      return (f(plus) - f(minus)) / (2 * eps);
    }),
  );
}
