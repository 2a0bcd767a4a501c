import type { Verdict } from './finding';
import type { CheckReport } from './run';

const MARK: Record<Verdict, string> = { expected: 'ok', differs: 'DIFFERS', unknown: '?' };

/** The simulator's arguments that play what the check found: a server like this one. */
export function simArgsOf(report: CheckReport): string[] {
  // two checks may find one thing (a page-size cap on users and on calls): said once
  const said = new Set(report.findings.map((finding) => (finding.simArgs ?? []).join(' ')));
  return [...said].filter(Boolean).flatMap((args) => args.split(' '));
}

/** The report without the host, tenant, user names and e-mails: counts and forms stay. */
export function redacted(report: CheckReport): CheckReport {
  const url = new URL(report.server.url);
  const secrets = [
    url.host,
    ...url.pathname.split('/').filter(Boolean),
    report.server.username,
  ].filter((secret) => secret.length > 1);
  const hide = (text: string) =>
    secrets
      .reduce((hidden, secret) => hidden.split(secret).join('<redacted>'), text)
      .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<e-mail>');
  const copy = JSON.parse(hide(JSON.stringify(report))) as CheckReport;
  copy.server = { url: '<redacted>', domain: report.server.domain, username: '<redacted>' };
  return copy;
}

/** The report for people: a line per finding, then what to set, then the simulator's args. */
export function reportLines(report: CheckReport, verbose = false): string[] {
  const width = Math.max(...report.findings.map((finding) => finding.title.length));
  const lines = [`xAssist server check of ${report.server.url} (${report.ms} ms)`, ''];
  for (const finding of report.findings) {
    lines.push(
      `${MARK[finding.verdict].padEnd(7)} ${finding.title.padEnd(width)}  ${finding.found}`,
    );
    if (finding.advice) lines.push(`${' '.repeat(width + 10)}→ ${finding.advice}`);
  }
  const counts = (verdict: Verdict) =>
    report.findings.filter((finding) => finding.verdict === verdict).length;
  lines.push(
    '',
    `${counts('expected')} as expected, ${counts('differs')} differ, ${counts('unknown')} could not tell`,
  );
  const simArgs = simArgsOf(report);
  lines.push(`a simulator like this server: npx xassist-sim ${simArgs.join(' ')}`.trimEnd());
  if (verbose) {
    lines.push('', 'requests:');
    for (const request of report.requests) {
      const outcome = request.status ?? request.error;
      lines.push(`  ${request.method} ${request.path || '/'} → ${outcome} (${request.ms} ms)`);
    }
  }
  return lines;
}
