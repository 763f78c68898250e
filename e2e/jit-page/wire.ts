/** What the jit page and its test exchange (plain JSON through page.evaluate). */
export interface WireArray {
  shape: number[];
  data: number[];
  dtype?: string;
}

export interface CaseRun {
  ran: string;
  fallbacks: string[];
  executors: string[];
  outputs: WireArray[];
  seconds: number;
}
