/**
 * The stages of src/, lowest first (docs/architecture.md says why each boundary is where it is).
 * A stage may import its own files and the stages before it, never one after it, and the stages
 * that share a rank never import each other. `npm run lint:deps` (part of `npm test`) checks it.
 */
const STAGES = [
  ['common'],
  ['metrics', 'kernels'],
  ['store'],
  ['ingest'],
  ['data'],
  ['model'],
  ['train'],
  ['index'],
  ['serve', 'retrain', 'eval'],
  ['commands'],
  ['cli.ts'],
];

const pathOf = (stage) => (stage.endsWith('.ts') ? `^src/${stage.replace('.', '\\.')}$` : `^src/${stage}/`);

const forbidden = STAGES.slice(0, -1).flatMap((rank, r) =>
  rank.map((stage) => ({
    name: `${stage.replace('.ts', '')}-imports-upward`,
    comment: `src/${stage} may import only ${STAGES.slice(0, r).flat().join(', ') || 'npm packages'} (and its own files)`,
    severity: 'error',
    from: { path: pathOf(stage) },
    to: { path: [...STAGES.slice(r + 1).flat(), ...rank.filter((s) => s !== stage)].map(pathOf) },
  })),
);

module.exports = {
  forbidden: [
    ...forbidden,
    { name: 'no-circular', severity: 'error', comment: 'a cycle makes two files one module', from: { path: '^src/' }, to: { circular: true } },
    { name: 'src-imports-tests-or-benches', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
