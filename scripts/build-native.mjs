// `npm install` runs this: builds contrarec's native kernels (native/*.cc) with node-gyp.
// contrarec works without them (TF.js's own wasm kernels, slower training: `npm run bench:train`), so a machine
// without a C++ compiler gets a warning here, not a failed install.
import { spawnSync } from 'node:child_process';

// Inside npm scripts npm names its bundled node-gyp; run by hand, the one on PATH.
const gyp = process.env.npm_config_node_gyp;
const [command, args] = gyp ? [process.execPath, [gyp, 'rebuild', '--loglevel=warn']] : ['node-gyp', ['rebuild', '--loglevel=warn']];
const result = spawnSync(command, args, { stdio: 'inherit' });
if (result.status !== 0) {
  const why = result.error ? result.error.message : `node-gyp exited with ${result.status}`;
  console.warn(
    `contrarec: the native kernels were not built (${why}). Training runs on TF.js's own wasm kernels instead, which are slower; install a C++ compiler and run \`npm run build:native\` to build them.`,
  );
}
