import { simArgsOf } from '../../check/report';
import { runCheck, type CheckReport } from '../../check/run';
import { XAssistClient, XAssistError, type ServerSettings } from '../../xassist';

/** What the dialog's Check server answers. Nothing in it is a password or a token. */
export interface CheckAnswer {
  /** whether the package's own client logged in and read a user */
  ok: boolean;
  /** how it went, or what is wrong (a wrong password, a URL without its tenant path…) */
  message: string;
  /** what the server does, once the login worked */
  report?: CheckReport;
  /** the simulator's arguments that play a server like this one */
  simArgs?: string[];
}

/** The whole check's time, login included: the dialog waits no longer. */
export const CHECK_TIME_LIMIT_MS = 30_000;

/**
 * The package's own login and one user read first, for their clear messages; then, only when
 * they worked, the read-only check in what is left of the time limit. A failed login is not
 * repeated by the check: a second refused login brings an account nearer to being locked.
 */
export async function checkServer(
  settings: () => ServerSettings,
  timeLimitMs = CHECK_TIME_LIMIT_MS,
): Promise<CheckAnswer> {
  const started = Date.now();
  let given: ServerSettings;
  try {
    given = settings();
  } catch (err) {
    return failure(err);
  }
  const connection = await testConnection(given);
  if (!connection.ok) return connection;
  const left = Math.max(0, timeLimitMs - (Date.now() - started));
  // read-only: the dialog never makes a test call
  const report = await runCheck(given, { timeLimitMs: left, createTestCall: false });
  return { ...connection, report, simArgs: simArgsOf(report) };
}

async function testConnection(settings: ServerSettings): Promise<CheckAnswer> {
  let client: XAssistClient | undefined;
  try {
    client = new XAssistClient(settings);
    const page = await client.listUsers({ size: 1 });
    const users = page.totalElements ?? page.content.length;
    return {
      ok: true,
      message: `logged in as '${client.settings.username}'; ${users} users visible`,
    };
  } catch (err) {
    return failure(err);
  } finally {
    await client?.close();
  }
}

/** The client's errors redact the password and tokens; any other error is not shown. */
function failure(err: unknown): CheckAnswer {
  return { ok: false, message: err instanceof XAssistError ? err.message : 'check failed' };
}
