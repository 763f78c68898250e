/** The radiative-transfer solver on core. */

export { seedCase, seedCases, sigmaOfTheta } from './cases';
export {
  compileFormula,
  type Formula,
  FormulaError,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  sampleFormula,
} from './formula';
export {
  finalE,
  type RecordChoice,
  type RteOutput,
  recordOf,
  resolveRecord,
  sumFinalE,
} from './objectives';
export { type RteResult, type SolveOptions, solve, solveBatch } from './solver';
export { cellCentres, type RteGrid, type RteSpec, RteSpecError, rteGrid } from './spec';
