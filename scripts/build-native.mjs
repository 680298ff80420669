// `npm install` runs this: builds contrarec's native matMul kernel (native/gemm.cc) with node-gyp.
// contrarec works without it (TF.js's own wasm kernels, about 1.5× slower training), so a machine
// without a C++ compiler gets a warning here, not a failed install.
import { spawnSync } from 'node:child_process';

// Inside npm scripts npm names its bundled node-gyp; run by hand, the one on PATH.
const gyp = process.env.npm_config_node_gyp;
const [command, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const result = spawnSync(command, args, { stdio: 'inherit' });
if (result.status !== 0) {
  const why = result.error ? result.error.message : `node-gyp exited with ${result.status}`;
  console.warn(`contrarec: the native matMul kernel was not built (${why}). Training runs on TF.js's own wasm kernels instead, about 1.5× slower; install a C++ compiler and run \`npm run build:native\` to build it.`);
}
