/** The radiative-transfer solver on core. */

export { seedCase, seedCases, sigmaOfTheta } from './cases';
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
export { type RteResult, type SolveOptions, solve, solveBatch } from './solver';
export { cellCentres, type RteGrid, type RteSpec, RteSpecError, rteGrid } from './spec';
