/**
 * A duty schedule from rows, as the core csv node gives them (one object per line, keyed by the
 * header): `days, from, to, primary, backup, level3…` for the weekly shifts; a row whose `days`
 * is `otherwise` gives who is on duty outside every shift; a row whose `from` is a date is an
 * override (its levels cover, its `away` are off). A problem names the row and its column.
 */
import { FieldError } from '../mapping/field-error';
import { isPlainObject, kind } from '../mapping/values';
import { dutyScheduleOf } from './schedule';

/** A schedule as a flow gives it: what rows give, checked, to replace a schedule with. */
export interface ScheduleSetting {
  zone: string;
  shifts: unknown[];
  overrides: unknown[];
  otherwise: unknown;
}

type Row = Record<string, unknown>;

const DATE = /^\s*\d{4}-\d{2}-\d{2}/;

/** The level columns of a row, in order: primary, backup, then level3, level4… (or level1…). */
function levelColumns(row: Row): string[] {
  const named = ['primary', 'backup'].filter((column) => column in row);
  const numbered = Object.keys(row)
    .map((column) => ({ column, level: /^level\s*(\d+)$/.exec(column)?.[1] }))
    .filter((one): one is { column: string; level: string } => one.level !== undefined)
    .sort((a, b) => Number(a.level) - Number(b.level))
    .map((one) => one.column);
  return [...named, ...numbered];
}

/** A cell as text: the csv node gives numbers and empty cells as they are. */
function cell(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

/** Levels of a row: the filled level columns; names in a cell by commas or semicolons. */
function levelsOf(row: Row): { levels: string[]; columns: string[] } {
  const columns = levelColumns(row).filter((column) => cell(row[column]) !== '');
  return {
    levels: columns.map((column) => cell(row[column]).replace(/\s*;\s*/g, ', ')),
    columns,
  };
}

/** Keys in lower case, trimmed: a header "Primary " is the column primary. */
function normalised(value: unknown, index: number, name: string): Row {
  if (!isPlainObject(value)) {
    throw new FieldError(`${name}[${index}]`, `must be a row of columns, not ${kind(value)}`);
  }
  return Object.fromEntries(
    Object.entries(value).map(([column, content]) => [column.trim().toLowerCase(), content]),
  );
}

/**
 * The schedule that `rows` give, checked (as a flow would give it); `zone` is the schedule's unless a row has a `zone`.
 * Throws a FieldError naming the row (from 0, as in msg.payload) and the column.
 */
export function scheduleOfRows(rows: unknown[], zone: string, name = 'payload'): ScheduleSetting {
  const shifts: unknown[] = [];
  const overrides: unknown[] = [];
  let otherwise: unknown;
  /** where each part came from: the row and its level columns */
  const origins = {
    shifts: [] as Origin[],
    overrides: [] as Origin[],
    otherwise: undefined as Origin | undefined,
  };
  let rowZone: string | undefined;
  rows.forEach((value, index) => {
    const row = normalised(value, index, name);
    const { levels, columns } = levelsOf(row);
    const origin = { index, columns };
    rowZone ??= cell(row.zone) || undefined;
    if (cell(row.days).toLowerCase() === 'otherwise') {
      otherwise = levels;
      origins.otherwise = origin;
    } else if (DATE.test(cell(row.from))) {
      const away = cell(row.away).replace(/\s*;\s*/g, ',');
      overrides.push({
        from: cell(row.from),
        to: cell(row.to),
        ...(levels.length && { cover: levels }),
        ...(away && { away }),
      });
      origins.overrides.push(origin);
    } else if (Object.values(row).some((content) => cell(content) !== '')) {
      shifts.push({ days: cell(row.days), from: cell(row.from), to: cell(row.to), levels });
      origins.shifts.push(origin);
    }
  });
  if (otherwise === undefined) {
    throw new FieldError(
      name,
      'must have a row whose days are otherwise: no moment may have nobody',
    );
  }
  const setting = { zone: rowZone ?? zone, shifts, overrides, otherwise };
  try {
    dutyScheduleOf(setting);
    return setting;
  } catch (err) {
    throw err instanceof FieldError
      ? new FieldError(rowField(err.field, origins, name), err.problem)
      : err;
  }
}

interface Origin {
  index: number;
  columns: string[];
}

/** `schedule.shifts[2].levels[1]` as the row and column it came from: `payload[3].backup`. */
function rowField(
  field: string,
  origins: { shifts: Origin[]; overrides: Origin[]; otherwise?: Origin },
  name: string,
): string {
  const match = /^schedule\.(shifts|overrides)\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?/.exec(field);
  const otherwise = /^schedule\.otherwise(?:\[(\d+)\])?/.exec(field);
  if (otherwise && origins.otherwise) {
    return columnOf(origins.otherwise, 'levels', otherwise[1], name);
  }
  if (!match) return field.replace(/^schedule/, name);
  const origin = origins[match[1] as 'shifts' | 'overrides'][Number(match[2])];
  if (!origin) return field;
  return columnOf(origin, match[3] ?? '', match[4], name);
}

function columnOf(origin: Origin, part: string, item: string | undefined, name: string): string {
  const row = `${name}[${origin.index}]`;
  if (part === 'levels' || part === 'cover') {
    const column = item === undefined ? undefined : origin.columns[Number(item)];
    return column ? `${row}.${column}` : `${row}.primary`;
  }
  return part ? `${row}.${part}` : row;
}
