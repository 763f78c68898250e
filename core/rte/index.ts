/** The radiative-transfer solver on core. */

export {
  checkRteBudget,
  checkRteJob,
  estimateRteWork,
  formatBytes,
  RTE_BUDGET,
  type RteBudget,
  RteBudgetError,
  type RteJob,
  type RteJobKind,
  type RteWorkEstimate,
} from './budget';
export { SEED_SPEC, seedCase, seedCases, sigmaOfTheta } from './cases';
export {
  compileFormula,
  type Formula,
  FormulaError,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  sampleFormula,
} from './formula';
export {
  describeObjective,
  finalE,
  OBJECTIVE_KINDS,
  type Objective,
  type ObjectiveKind,
  objectiveOf,
  probeCell,
  type RecordChoice,
  type RteOutput,
  recordIndex,
  recordOf,
  resolveRecord,
  sumFinalE,
  windowCells,
} from './objectives';
export {
  checkRteRun,
  findOverflow,
  nonFiniteCell,
  type OverflowSite,
  overflowSiteMessage,
  RteOverflowError,
  replayToOverflow,
} from './overflow';
export { solveBatchChecked } from './solve-checked';
export { type RteResult, type SolveOptions, solve, solveBatch } from './solver';
export { cellCentres, type RteGrid, type RteSpec, RteSpecError, rteGrid } from './spec';
export {
  checkRteField,
  FIELD_RULES,
  firstNonFinite,
  firstUnphysical,
  MAX_T,
  type NonFinite,
  type RteField,
} from './validate';
