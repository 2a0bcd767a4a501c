#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULT_DOMAIN } from '../xassist/settings';
import { redacted, reportLines, simArgsOf } from './report';
import { DEFAULT_TIME_LIMIT_MS, runCheck, WHAT_IT_DOES } from './run';
import { TEST_CALL_WARNING } from './test-call';

const USAGE = `Usage: xassist-check <tenant URL> --username <user> [options]

Checks what an xAssist server does where the public sources leave it open, and says what the
package does about it and what to set. The password comes from XASSIST_PASSWORD or a prompt,
never from an argument.

  --domain <name>        login domain (default ${DEFAULT_DOMAIN})
  --username <user>      the technical user the nodes log in as
  --refresh-path <path>  the refresh endpoint (default refresh; none: always log in)
  --time-limit <s>       the whole check's time at most (default ${DEFAULT_TIME_LIMIT_MS / 1000})
  --json                 the report as JSON
  --redact               leave out the host, tenant, user names and e-mails (for a bug report)
  --sim-args             print only the simulator's arguments that play this server
  --verbose              list every request made
  --create-test-call     also make one call, to this user alone, and follow it for a few
                         seconds (the API cannot end it: it stays open until nobody is in it)
  --help                 this text`;

function readArgs() {
  return parseArgs({
    allowPositionals: true,
    options: {
      domain: { type: 'string', default: DEFAULT_DOMAIN },
      username: { type: 'string' },
      'refresh-path': { type: 'string' },
      'time-limit': { type: 'string', default: String(DEFAULT_TIME_LIMIT_MS / 1000) },
      json: { type: 'boolean', default: false },
      redact: { type: 'boolean', default: false },
      'sim-args': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'create-test-call': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

/** The password, from the environment or typed at a prompt that does not show it. */
async function password(): Promise<string> {
  const fromEnv = process.env.XASSIST_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error('set XASSIST_PASSWORD: there is no terminal to ask');
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = prompt as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write('password: ');
  muted._writeToOutput = () => undefined;
  const typed = await new Promise<string>((resolve) => prompt.question('', resolve));
  prompt.close();
  process.stderr.write('\n');
  return typed;
}

async function main(): Promise<void> {
  const { values: args, positionals } = readArgs();
  if (args.help) return console.log(USAGE);
  const [url] = positionals;
  const timeLimitS = Number(args['time-limit']);
  if (!url || !args.username || !(timeLimitS > 0)) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  if (!args.json && !args['sim-args']) for (const line of WHAT_IT_DOES) console.error(line);
  if (args['create-test-call']) console.error(TEST_CALL_WARNING);
  const report = await runCheck(
    {
      url,
      domain: args.domain,
      username: args.username,
      password: await password(),
      refreshPath: args['refresh-path'],
    },
    { timeLimitMs: timeLimitS * 1000, createTestCall: args['create-test-call'] },
  );
  const shown = args.redact ? redacted(report) : report;
  if (args['sim-args']) console.log(simArgsOf(shown).join(' '));
  else if (args.json) console.log(JSON.stringify(shown, null, 2));
  else console.log(reportLines(shown, args.verbose).join('\n'));
}

main().catch((err: Error) => {
  console.error(`xassist-check: ${err.message}`);
  process.exitCode = 1;
});
