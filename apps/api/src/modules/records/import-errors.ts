import type { RowProblem } from './row-checks';

/** A file cannot be imported at all (malformed CSV, missing column, not JSON): the run fails, no retry helps. */
export class ImportFatalError extends Error {
  constructor(
    message: string,
    readonly problems: RowProblem[] = [],
  ) {
    super(message);
    this.name = 'ImportFatalError';
  }
}
