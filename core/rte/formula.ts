/**
 * Safe formulas for profiles (the workbench's editors and the CLI's sweep specs): mathjs parses the text, and this
 * module evaluates the syntax tree itself with a whitelist of operators, functions and symbols. Nothing is ever
 * eval'd and no mathjs function is reachable. Browser-safe: no Node or DOM API.
 */
import { create, parseDependencies } from 'mathjs';

// mathjs types its dependency bundles as entries of a string-keyed record, so the import may be undefined as far
// as the type checker knows; a mathjs without it could not parse formulas at all.
if (!parseDependencies) throw new Error('formula: this mathjs build does not export parseDependencies');
const math = create({ parseDependencies });

type Fn = (scope: Record<string, number>) => number;

const FUNCTIONS: Record<string, { arity: [number, number]; f: (...a: number[]) => number }> = {
  sin: { arity: [1, 1], f: Math.sin },
  cos: { arity: [1, 1], f: Math.cos },
  tan: { arity: [1, 1], f: Math.tan },
  asin: { arity: [1, 1], f: Math.asin },
  acos: { arity: [1, 1], f: Math.acos },
  atan: { arity: [1, 1], f: Math.atan },
  sinh: { arity: [1, 1], f: Math.sinh },
  cosh: { arity: [1, 1], f: Math.cosh },
  tanh: { arity: [1, 1], f: Math.tanh },
  exp: { arity: [1, 1], f: Math.exp },
  log: { arity: [1, 1], f: Math.log },
  sqrt: { arity: [1, 1], f: Math.sqrt },
  abs: { arity: [1, 1], f: Math.abs },
  sign: { arity: [1, 1], f: Math.sign },
  floor: { arity: [1, 1], f: Math.floor },
  ceil: { arity: [1, 1], f: Math.ceil },
  round: { arity: [1, 1], f: Math.round },
  min: { arity: [1, 16], f: Math.min },
  max: { arity: [1, 16], f: Math.max },
  pow: { arity: [2, 2], f: Math.pow },
  /** 1 where a ≤ x ≤ b, else 0: slabs without conditionals. */
  box: { arity: [3, 3], f: (x, a, b) => (x >= a && x <= b ? 1 : 0) },
  /** exp(−((x − m)/w)²): hot spots. */
  gauss: { arity: [3, 3], f: (x, m, w) => Math.exp(-(((x - m) / w) ** 2)) },
};

const OPERATORS: Record<string, (...a: number[]) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
  mod: (a, b) => a - b * Math.floor(a / b),
  unaryMinus: (a) => -a,
  unaryPlus: (a) => a,
  smaller: (a, b) => +(a < b),
  larger: (a, b) => +(a > b),
  smallerEq: (a, b) => +(a <= b),
  largerEq: (a, b) => +(a >= b),
  equal: (a, b) => +(a === b),
  unequal: (a, b) => +(a !== b),
  and: (a, b) => +(a !== 0 && b !== 0),
  or: (a, b) => +(a !== 0 || b !== 0),
  not: (a) => +(a === 0),
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/** Longest formula text accepted. */
export const MAX_FORMULA_LENGTH = 2000;
/**
 * Deepest nesting accepted (of the syntax tree, and of brackets and unary signs in the text). mathjs's parser
 * and our evaluator both recurse per level: a few thousand levels overflow the stack, and no profile needs 100.
 */
export const MAX_FORMULA_DEPTH = 100;

export class FormulaError extends Error {
  override name = 'FormulaError';
}

export interface Formula {
  text: string;
  /** The free variables it reads (x and any parameters). */
  variables: string[];
  evaluate(scope: Record<string, number>): number;
}

/** Parse and compile `text`; `variables` are the names it may read besides pi and e. Throws FormulaError. */
export function compileFormula(text: string, variables: readonly string[] = ['x']): Formula {
  if (text.trim() === '') throw new FormulaError('the formula is empty');
  if (text.length > MAX_FORMULA_LENGTH)
    throw new FormulaError(
      `the formula is ${text.length} characters long (at most ${MAX_FORMULA_LENGTH} are allowed)`,
    );
  checkTextNesting(text);
  let root: unknown;
  try {
    root = math.parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep();
    throw new FormulaError(`cannot parse: ${(e as Error).message}`);
  }
  const depth = treeDepth(root as Node);
  if (depth > MAX_FORMULA_DEPTH) throw tooDeep(depth);
  const used = new Set<string>();
  const fn = build(root as Node, new Set(variables), used);
  return { text, variables: [...used], evaluate: fn };
}

/**
 * Sample `formula` at each x (with fixed parameter values); throws FormulaError naming the first x where the value
 * is not finite (an overflow such as 1e308·10, or 1/0), so NaN never reaches a solve or a plot.
 */
export function sampleFormula(
  formula: Formula,
  x: ArrayLike<number>,
  params: Record<string, number> = {},
): Float64Array {
  const out = new Float64Array(x.length);
  const scope: Record<string, number> = { ...params };
  for (let i = 0; i < x.length; i++) {
    scope.x = x[i]!;
    const v = formula.evaluate(scope);
    if (!Number.isFinite(v))
      throw new FormulaError(
        `${formula.text.length > 40 ? `${formula.text.slice(0, 40)}…` : formula.text} is ${v} at x = ${x[i]!.toPrecision(4)} (values must be finite)`,
      );
    out[i] = v;
  }
  return out;
}

const tooDeep = (depth?: number) =>
  new FormulaError(
    `the formula nests ${depth ?? `more than ${MAX_FORMULA_DEPTH}`} levels deep (brackets, signs or chained operators); at most ${MAX_FORMULA_DEPTH} are allowed`,
  );

/** Refuse runs of brackets or unary signs deeper than the limit before mathjs's recursive parser sees them. */
function checkTextNesting(text: string): void {
  let open = 0;
  let signs = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') open++;
    else if (ch === ')' || ch === ']' || ch === '}') open--;
    if (ch === '-' || ch === '+' || ch === '!' || ch === '~') signs++;
    else if (ch !== ' ') signs = 0;
    if (open > MAX_FORMULA_DEPTH || signs > MAX_FORMULA_DEPTH) throw tooDeep();
  }
}

/** Depth of a mathjs syntax tree, by an explicit stack (the tree may be deeper than the call stack allows). */
function treeDepth(root: Node): number {
  let deepest = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    for (const key of ['args', 'content', 'condition', 'trueExpr', 'falseExpr', 'fn']) {
      const v = node[key];
      for (const child of Array.isArray(v) ? v : [v])
        if (child && typeof child === 'object' && 'type' in child) stack.push([child as Node, d + 1]);
    }
  }
  return deepest;
}

interface Node {
  type: string;
  [k: string]: unknown;
}

function build(node: Node, allowed: Set<string>, used: Set<string>): Fn {
  const sub = (n: unknown) => build(n as Node, allowed, used);
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value;
      if (typeof v !== 'number') throw new FormulaError(`only numbers are allowed, not ${JSON.stringify(v)}`);
      return () => v;
    }
    case 'SymbolNode': {
      const name = node.name as string;
      if (allowed.has(name)) {
        used.add(name);
        return (s) => {
          const v = s[name];
          if (v === undefined) throw new FormulaError(`no value for ${name}`);
          return v;
        };
      }
      if (Object.hasOwn(CONSTANTS, name)) {
        const v = CONSTANTS[name]!;
        return () => v;
      }
      throw new FormulaError(`unknown name "${name}" (use ${[...allowed].join(', ')}, pi, e)`);
    }
    case 'ParenthesisNode':
      return sub(node.content);
    case 'OperatorNode': {
      const op = node.fn as string;
      if (!Object.hasOwn(OPERATORS, op)) throw new FormulaError(`the operator "${node.op}" is not allowed`);
      const f = OPERATORS[op]!;
      const args = (node.args as unknown[]).map(sub);
      if (args.length === 1) {
        const [a] = args as [Fn];
        return (s) => f(a(s));
      }
      const [a, b] = args as [Fn, Fn];
      return (s) => f(a(s), b(s));
    }
    case 'ConditionalNode': {
      const [c, t, e] = [sub(node.condition), sub(node.trueExpr), sub(node.falseExpr)];
      return (s) => (c(s) !== 0 ? t(s) : e(s));
    }
    case 'FunctionNode': {
      const fnNode = node.fn as Node;
      const name = fnNode.type === 'SymbolNode' ? (fnNode.name as string) : '';
      if (!Object.hasOwn(FUNCTIONS, name))
        throw new FormulaError(
          `unknown function "${name || '?'}" (allowed: ${Object.keys(FUNCTIONS).join(', ')})`,
        );
      const { arity, f } = FUNCTIONS[name]!;
      const args = (node.args as unknown[]).map(sub);
      if (args.length < arity[0] || args.length > arity[1])
        throw new FormulaError(
          `${name} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]}–${arity[1]}`} argument(s), got ${args.length}`,
        );
      return (s) => f(...args.map((a) => a(s)));
    }
    default:
      throw new FormulaError(`${describeNode(node.type)} is not allowed in a formula`);
  }
}

function describeNode(type: string): string {
  const names: Record<string, string> = {
    AssignmentNode: 'assignment',
    FunctionAssignmentNode: 'defining a function',
    AccessorNode: 'indexing or property access',
    IndexNode: 'indexing',
    ArrayNode: 'a matrix',
    ObjectNode: 'an object',
    BlockNode: 'more than one expression',
    RangeNode: 'a range',
    RelationalNode: 'a chained comparison',
  };
  return names[type] ?? `"${type}"`;
}
