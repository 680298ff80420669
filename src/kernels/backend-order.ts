/** A TF.js backend the trainer can run on; `auto` tries them in the order of {@link BACKEND_ORDER}. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * Preference order for `auto`: native GPU, native CPU (libtensorflow), WebAssembly, plain JS. The
 * first two are optional peer dependencies (`@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`):
 * they load only where the user installed them, and are skipped otherwise.
 * Kept apart from `select-backend.ts` (which loads TF.js) so that `contrarec --help` stays cheap.
 */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
