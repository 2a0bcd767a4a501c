/** What a loopback server answered a test's request. */
export interface Answer {
  status: number;
  headers: Headers;
  /** the body as JSON; {} when it is not JSON */
  body: Record<string, unknown>;
  bytes: Buffer;
}

/** A request with a JSON body (and a bearer token), as the client or a control script sends it. */
export async function call(
  url: string,
  method = 'GET',
  body?: unknown,
  token?: string,
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.startsWith('application/json');
  return {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(bytes.toString('utf8')) : {},
    bytes,
  };
}

/**
 * A simulator's tenant API (with the test's token) and its control API under /_sim/, for the
 * simulator and the token a test holds at the moment it asks.
 */
export function simulatorApis(
  sim: () => { tenantUrl: string; url: string },
  token: () => string | undefined,
) {
  return {
    api: (path: string, method = 'GET', body?: unknown) =>
      call(`${sim().tenantUrl}${path}`, method, body, token()),
    control: (path: string, method = 'POST', body?: unknown) =>
      call(`${sim().url}_sim/${path}`, method, body),
  };
}
