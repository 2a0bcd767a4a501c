/** Bad input, found before anything is sent: `field` is its path, e.g. `invitedContacts[1]`. */
export class FieldError extends Error {
  readonly code = 'INVALID_INPUT';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'FieldError';
  }
}
