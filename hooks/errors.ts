/**
 * An error the user can act on (bad arguments, a broken pack or policy, a missing sandbox backend):
 * the CLI prints its message without a stack trace and exits 2.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
