import should from 'should';

/**
 * Checks an error answered as Spring Boot does: the HTTP `status`, and a JSON body with the same
 * status and `fields` (error, message, path).
 */
export function shouldBeSpringError(
  answer: { status: number; body: Record<string, unknown> },
  status: number,
  fields: Record<string, unknown>,
): void {
  should(answer.status).equal(status);
  should(answer.body).containEql({ status, ...fields });
}
