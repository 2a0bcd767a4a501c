/** A table as `npm run bench` prints it: Markdown, and a blank line after it. */
export function tableLines(header: string[], rows: unknown[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

/** A table of `items`, one row each: a column per [header, property] of `columns`. */
export function columnLines<T>(
  columns: Array<[header: string, key: keyof T]>,
  items: T[],
): string[] {
  return tableLines(
    columns.map(([header]) => header),
    items.map((item) => columns.map(([, key]) => item[key])),
  );
}
