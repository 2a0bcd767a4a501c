import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import should from 'should';
import {
  NODE_TYPES,
  codeIn,
  editorFile,
  localeFile,
  editorDefinition,
  englishHelp,
  outputLabel,
  runtimeCredentials,
  type HelpProperty,
} from '../support/editor-files';

/**
 * docs/reference.md against the code: the flow-JSON properties and their defaults against the
 * editor's `defaults` (and the server's credentials), the message properties against the English
 * help, the examples against both. Each failure names what is missing or extra, and where.
 */

const REFERENCE = 'docs/reference.md';

/** The fixed columns of each kind of table: the parser below depends on them. */
const COLUMNS = {
  flowJson: ['Property', 'Type', 'Default', 'Meaning', 'When missing'],
  credentials: ['Property', 'Type', 'Meaning', 'When missing'],
  message: ['Property', 'Type', 'Meaning'],
};

/** The keys of a node object that Node-RED itself gives every node, not the node's defaults. */
const NODE_RED_KEYS = new Set(['id', 'type', 'z', 'g', 'x', 'y', 'wires', 'd', 'credentials']);

/**
 * Message properties the reference lists that the English help names in its text only, not as a
 * `<dt>` of its message-properties, by node type and section (`Input`, `Output 1`, …). Each must
 * still be named in the help as code; once the help gives it a `<dt>`, the test asks for its
 * removal here. A dotted name is also covered by a `<dt>` of the property it belongs to.
 */
const HELP_TEXT_ONLY: Record<string, Record<string, string[]>> = {
  'xassist-call-status': {
    Input: ['payload.callId', 'payload'],
    'Output 1': ['callId', 'call', 'eventType'],
    'Output 2': [
      'payload',
      'topic',
      'callId',
      'call',
      'time',
      'joinedAfter',
      'joinedAfterFrom',
      'eventType',
    ],
    'Output 3': ['payload', 'topic', 'callId', 'call', 'time', 'eventType'],
    'Output 4': ['payload', 'topic', 'callId', 'call', 'time', 'notFound', 'eventType'],
  },
  'xassist-escalate': {
    'Output 1': [
      'payload',
      'escalation',
      'escalation.joinedAfterFrom',
      'escalation.stepJoinedAfter',
    ],
    'Output 2': ['payload', 'escalation', 'escalation.duration'],
    'Output 3': ['payload', 'escalation', 'escalation.duration', 'callId', 'call'],
  },
};

interface Table {
  header: string[];
  rows: Array<Record<string, string>>;
  /** the line of the header, from 1, for the messages */
  line: number;
}

interface Section {
  tables: Table[];
  /** the contents of its fenced code blocks, with their language */
  code: Array<{ language: string; text: string }>;
}

/** The reference by node type (a `## <type>` heading), then by `### …` heading. */
function parseReference(markdown: string): Map<string, Map<string, Section>> {
  const nodes = new Map<string, Map<string, Section>>();
  let sections: Map<string, Section> | undefined;
  let section: Section | undefined;
  let table: Table | undefined;
  let fence: { language: string; lines: string[] } | undefined;
  markdown.split('\n').forEach((line, index) => {
    if (fence) {
      if (/^```\s*$/.test(line)) {
        section?.code.push({ language: fence.language, text: fence.lines.join('\n') });
        fence = undefined;
      } else fence.lines.push(line);
      return;
    }
    const opening = /^```(\S*)/.exec(line);
    if (opening) {
      fence = { language: opening[1], lines: [] };
      table = undefined;
      return;
    }
    if (line.startsWith('|')) {
      const cells = cellsOf(line);
      if (!table) {
        table = { header: cells, rows: [], line: index + 1 };
        section?.tables.push(table);
      } else if (!cells.every((cell) => /^:?-+:?$/.test(cell))) {
        table.rows.push(Object.fromEntries(table.header.map((name, i) => [name, cells[i] ?? ''])));
      }
      return;
    }
    table = undefined;
    const heading = /^(#{1,3}) (.+?)\s*$/.exec(line);
    if (!heading) return;
    if (heading[1].length < 3) {
      // a node's part ends at the next heading of its level or above
      sections = /^xassist-[\w-]+$/.test(heading[2]) ? new Map() : undefined;
      if (sections) nodes.set(heading[2], sections);
      section = undefined;
    } else if (sections) {
      section = { tables: [], code: [] };
      sections.set(heading[2], section);
    }
  });
  return nodes;
}

/** The cells of a table row; `\|` is a `|` within a cell. */
function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** `` `name` `` → `name`; undefined for a cell that is not one code span. */
function codeOf(cell: string): string | undefined {
  return /^`([^`]+)`$/.exec(cell)?.[1];
}

/** The one table of a section, with its fixed columns. */
function tableOf(
  type: string,
  heading: string,
  sections: Map<string, Section>,
  columns: string[],
): Table {
  const section = sections.get(heading);
  should.exist(section, `${REFERENCE}: '## ${type}' has no '### ${heading}'`);
  should(section!.tables.length).equal(
    1,
    `${REFERENCE}: '## ${type}' / '### ${heading}' has ${section!.tables.length} tables, not 1`,
  );
  const [table] = section!.tables;
  should(table.header).eql(
    columns,
    `${REFERENCE}:${table.line}: '## ${type}' / '### ${heading}' has the columns ` +
      `${table.header.join(' | ')}, not ${columns.join(' | ')}`,
  );
  return table;
}

/** The property names of a table's rows: each must be one code span. */
function namesOf(type: string, heading: string, table: Table): string[] {
  return table.rows.map((row) => {
    const name = codeOf(row.Property);
    should.exist(
      name,
      `${REFERENCE}: '## ${type}' / '### ${heading}': the property '${row.Property}' ` +
        'is not written as `name`',
    );
    return name!;
  });
}

/** What `expected` lacks and adds against `listed`, as sentences; empty when they agree. */
function differences(
  listed: string[],
  expected: string[],
  where: string,
  source: string,
): string[] {
  const problems: string[] = [];
  for (const name of expected) {
    if (!listed.includes(name)) problems.push(`${where} lacks '${name}', which is in ${source}`);
  }
  for (const name of listed) {
    if (!expected.includes(name))
      problems.push(`${where} lists '${name}', which is not in ${source}`);
  }
  const twice = listed.filter((name, index) => listed.indexOf(name) !== index);
  for (const name of new Set(twice)) problems.push(`${where} lists '${name}' more than once`);
  return problems;
}

/** Passes without problems; else fails with each on a line of its own (no diff: they say it). */
function none(problems: string[]): void {
  if (problems.length === 0) return;
  throw new Error(`${REFERENCE} disagrees with the code:\n  ${problems.join('\n  ')}`);
}

/** The reference's message sections of a node: `Input`, then `Output 1: label`, … by number. */
function outputHeadings(sections: Map<string, Section>): string[] {
  return [...sections.keys()].filter((heading) => /^Output \d+/.test(heading));
}

/**
 * The rows of a message table against the help's `<dt>`s: each `<dt>` is a row; each row is a
 * `<dt>`, a property of one, or one of HELP_TEXT_ONLY, which the help must name as code.
 */
function againstHelp(
  type: string,
  part: string,
  listed: string[],
  help: HelpProperty[],
  helpHtml: string,
): string[] {
  const where = `${REFERENCE}: '## ${type}' / ${part}`;
  const source = localeFile(type, 'en-US', 'html');
  const documented = help.map((property) => property.name);
  const textOnly = HELP_TEXT_ONLY[type]?.[part] ?? [];
  const named = codeIn(helpHtml);
  const problems: string[] = [];
  for (const name of documented) {
    if (!listed.includes(name)) {
      problems.push(
        `${where} lacks '${name}', a <dt> of the help's message-properties (${source})`,
      );
    }
  }
  for (const name of listed) {
    const inDt = documented.includes(name);
    const underDt = documented.some((parent) => name.startsWith(`${parent}.`));
    if (textOnly.includes(name)) {
      if (inDt) {
        problems.push(
          `'${name}' of ${type} ${part} is a <dt> of the help now: remove it from HELP_TEXT_ONLY in test/editor/reference.test.ts`,
        );
      }
      const last = name.split('.').pop()!;
      if (![name, `msg.${name}`, last].some((text) => named.has(text))) {
        problems.push(
          `${where} lists '${name}', which ${source} neither gives a <dt> nor names as <code>`,
        );
      }
    } else if (!inDt && !underDt) {
      problems.push(
        `${where} lists '${name}', which is no <dt> of the help's message-properties ` +
          `(${source}): add a <dt> to the help, or remove the row`,
      );
    }
  }
  for (const name of textOnly) {
    if (!listed.includes(name)) {
      problems.push(
        `HELP_TEXT_ONLY in test/editor/reference.test.ts has '${name}' for ${type} ${part}, which ${REFERENCE} does not list`,
      );
    }
  }
  return problems;
}

describe('docs/reference.md', function () {
  const reference = parseReference(readFileSync(REFERENCE, 'utf8'));

  it("has a part for each node type of package.json's node-red.nodes, and only for them", function () {
    const types = Object.keys(JSON.parse(readFileSync('package.json', 'utf8'))['node-red'].nodes);
    should(types.slice().sort()).eql([...NODE_TYPES].sort());
    none(
      differences([...reference.keys()], types, `${REFERENCE}'s '## ' headings`, 'package.json'),
    );
  });

  for (const type of NODE_TYPES) {
    describe(type, function () {
      const definition = editorDefinition(type);
      const defaults = definition.defaults;
      const help = englishHelp(type);
      const part = () => {
        const sections = reference.get(type);
        should.exist(sections, `${REFERENCE} has no '## ${type}'`);
        return sections!;
      };

      it("lists as flow-JSON properties exactly the editor's defaults", function () {
        const table = tableOf(type, 'Flow JSON', part(), COLUMNS.flowJson);
        none(
          differences(
            namesOf(type, 'Flow JSON', table),
            Object.keys(defaults),
            `${REFERENCE}: '## ${type}' / Flow JSON`,
            `the defaults of ${editorFile(type)}`,
          ),
        );
      });

      it("states the editor's default of each property", function () {
        const table = tableOf(type, 'Flow JSON', part(), COLUMNS.flowJson);
        const problems: string[] = [];
        for (const row of table.rows) {
          const name = codeOf(row.Property);
          if (!name || !(name in defaults)) continue;
          const value = defaults[name].value;
          const expected = value === undefined ? '—' : `\`${JSON.stringify(value)}\``;
          const stated = codeOf(row.Default);
          let same = row.Default === '—' && value === undefined;
          if (stated !== undefined && value !== undefined) {
            try {
              // the defaults come from another realm: compared as JSON gives them
              same = isDeepStrictEqual(JSON.parse(stated), JSON.parse(JSON.stringify(value)));
            } catch {
              same = false;
            }
          }
          if (!same) {
            problems.push(
              `${REFERENCE}: '## ${type}' / Flow JSON: '${name}' has the default ${row.Default}, ` +
                `the editor ${expected}`,
            );
          }
        }
        none(problems);
      });

      if (type === 'xassist-server') {
        it('lists as credentials exactly those the runtime registers, which are the editor’s', function () {
          const registered = runtimeCredentials(type);
          should(Object.keys(registered)).not.be.empty();
          const table = tableOf(type, 'Credentials', part(), COLUMNS.credentials);
          const problems = [
            ...differences(
              namesOf(type, 'Credentials', table),
              Object.keys(registered),
              `${REFERENCE}: '## ${type}' / Credentials`,
              `src/${type}.ts's registerType`,
            ),
            ...differences(
              Object.keys(definition.credentials ?? {}),
              Object.keys(registered),
              `the credentials of ${editorFile(type)}`,
              `src/${type}.ts's registerType`,
            ),
          ];
          for (const row of table.rows) {
            const name = codeOf(row.Property);
            const kind = name === undefined ? undefined : registered[name];
            if (kind && !row.Type.includes(`(${kind})`)) {
              problems.push(
                `${REFERENCE}: '## ${type}' / Credentials: '${name}' is a ${kind} credential, not '${row.Type}'`,
              );
            }
          }
          none(problems);
        });
      } else {
        it('has no credentials', function () {
          should(runtimeCredentials(type)).eql({});
          should(part().has('Credentials')).be.false(`${REFERENCE}: '## ${type}' has credentials`);
        });
      }

      it("lists the input properties of the help's message-properties", function () {
        const sections = part();
        if (help.inputs === undefined) {
          should(sections.has('Input')).be.false(
            `${REFERENCE}: '## ${type}' has an Input section, but the help has no Inputs`,
          );
          return;
        }
        const table = tableOf(type, 'Input', sections, COLUMNS.message);
        none(againstHelp(type, 'Input', namesOf(type, 'Input', table), help.inputs, help.html));
      });

      it("lists the help's outputs, in order, each under the editor's label for it", function () {
        const headings = outputHeadings(part());
        should(headings.length).equal(
          help.outputs.length,
          `${REFERENCE}: '## ${type}' lists ${headings.length} outputs, the help's node-ports ` +
            `${help.outputs.length}`,
        );
        const problems: string[] = [];
        headings.forEach((heading, index) => {
          const label = outputLabel(type, index);
          const expected =
            label === undefined ? `Output ${index + 1}` : `Output ${index + 1}: ${label}`;
          if (heading !== expected) {
            problems.push(`${REFERENCE}: '## ${type}' has '### ${heading}', not '### ${expected}'`);
          }
        });
        none(problems);
      });

      it("lists per output the properties of the help's message-properties, and only those", function () {
        const sections = part();
        const problems = outputHeadings(sections).flatMap((heading, index) => {
          const table = tableOf(type, heading, sections, COLUMNS.message);
          const output = `Output ${index + 1}`;
          return againstHelp(
            type,
            output,
            namesOf(type, heading, table),
            help.outputs[index] ?? [],
            help.html,
          );
        });
        const count = outputHeadings(sections).length;
        for (const listed of Object.keys(HELP_TEXT_ONLY[type] ?? {})) {
          const output = /^Output (\d+)$/.exec(listed);
          if (output && Number(output[1]) > count) {
            problems.push(
              `HELP_TEXT_ONLY in test/editor/reference.test.ts has ${type} ${listed}, which ${REFERENCE} lacks`,
            );
          }
        }
        none(problems);
      });

      it('gives a flow-JSON example: a node object of this type with these properties', function () {
        const section = part().get('Example');
        should.exist(section, `${REFERENCE}: '## ${type}' has no '### Example'`);
        const blocks = section!.code.filter((block) => block.language === 'json');
        should(blocks).have.length(1, `${REFERENCE}: '## ${type}' / Example has no json block`);
        const example = JSON.parse(blocks[0].text) as Record<string, unknown>;
        should(example).be.an.Object();
        should(example.type).equal(type);
        should(example.id).be.a.String();
        const problems: string[] = [];
        for (const key of Object.keys(example)) {
          if (!NODE_RED_KEYS.has(key) && !(key in defaults)) {
            problems.push(
              `${REFERENCE}: the ${type} example has '${key}', which is no property of it`,
            );
          }
        }
        const credentials = (example.credentials ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(credentials)) {
          if (!(key in runtimeCredentials(type))) {
            problems.push(
              `${REFERENCE}: the ${type} example has the credential '${key}', which it has not`,
            );
          }
        }
        if (definition.category === 'config') {
          if ('wires' in example)
            problems.push(`${REFERENCE}: the ${type} example, a config node, has wires`);
        } else {
          const outputs = Number(example.outputs ?? definition.outputs ?? 0);
          const wires = example.wires;
          if (
            !Array.isArray(wires) ||
            wires.length !== outputs ||
            !wires.every(
              (port) => Array.isArray(port) && port.every((id) => typeof id === 'string'),
            )
          ) {
            problems.push(
              `${REFERENCE}: the ${type} example's wires are not ${outputs} lists of node ids: ${JSON.stringify(wires)}`,
            );
          }
        }
        none(problems);
      });
    });
  }

  it('has examples that fit together: each server and wire names another example', function () {
    const examples = [...reference.values()].flatMap((sections) =>
      (sections.get('Example')?.code ?? [])
        .filter((block) => block.language === 'json')
        .map(
          (block) =>
            JSON.parse(block.text) as {
              id: string;
              type: string;
              server?: string;
              wires?: string[][];
            },
        ),
    );
    const ids = new Set(examples.map((example) => example.id));
    const servers = examples.filter((example) => example.type === 'xassist-server');
    should(servers).have.length(1);
    const problems: string[] = [];
    for (const example of examples) {
      if ('server' in example && example.server !== servers[0].id) {
        problems.push(
          `the ${example.type} example's server is '${example.server}', not '${servers[0].id}'`,
        );
      }
      for (const id of (example.wires ?? []).flat()) {
        if (!ids.has(id))
          problems.push(`the ${example.type} example is wired to '${id}', which no example is`);
      }
    }
    none(problems);
  });
});
