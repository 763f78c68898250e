/** A worker call that was cancelled (its worker terminated): not a failure to report. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}
