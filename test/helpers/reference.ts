/** The reference data and the relative error, for tests (their home, shared with the benchmarks: scripts/). */
export { loadReference, referenceDir, relErr } from '../../scripts/reference-data';
