/** Bad input, found before anything is sent: `field` is its path, e.g. `invitedContacts[1]`. */
export class FieldError extends Error {
  readonly code = 'INVALID_INPUT';

  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'FieldError';
  }

  /** The same problem, with its field named from an outer value: `roster[1].invitedContacts[0]`. */
  within(prefix: string): FieldError {
    return new FieldError(`${prefix}.${this.field}`, this.problem);
  }
}
