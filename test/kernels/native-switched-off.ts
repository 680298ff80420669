/**
 * Whether this run switched the native addon off on purpose (`CONTRAREC_NATIVE=0`, the run of the
 * JavaScript paths): its tests then skip, and a CI run of that kind is not missing a dependency.
 */
export const NATIVE_SWITCHED_OFF = process.env.CONTRAREC_NATIVE === '0';
