import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import should from 'should';
import ts from 'typescript';
import { editorBundle, NODE_SCHEMAS } from '../../scripts/editors';
import { defaultsOf } from '../../src/schema/defaults';
import { editorHtml, localeFile, lookUp, NODE_TYPES } from '../support/editor-files';

const CORE_KEYS = /^node-red:/;

/**
 * What the Flow Library reads of a node's `.html` (node-red/flow-library, lib/modules.js): it
 * parses each `<script type="text/javascript">`, finds `registerType('<literal>', {...})` and
 * takes the keys of `defaults` and `credentials`, which must be written inline, and `icon`,
 * `color`, `inputs` and `outputs`, which must be literals. A property it cannot read by its
 * key (a spread) fails its whole parse.
 */
function flowLibraryView(script: string) {
  const source = ts.createSourceFile('node.js', script, ts.ScriptTarget.Latest, true);
  const found: Array<Record<string, unknown>> = [];
  const literal = (node: ts.Node) =>
    ts.isStringLiteral(node) ? node.text : ts.isNumericLiteral(node) ? Number(node.text) : node;
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'registerType'
    ) {
      const [type, definition] = node.arguments;
      const view: Record<string, unknown> = { type: literal(type) };
      if (!ts.isObjectLiteralExpression(definition)) throw new Error('not an object literal');
      for (const property of definition.properties) {
        if (!ts.isPropertyAssignment(property))
          throw new Error(`not a property: ${property.getText()}`);
        const key = property.name.getText();
        const value = property.initializer;
        if (key === 'defaults' || key === 'credentials') {
          if (!ts.isObjectLiteralExpression(value)) throw new Error(`${key} not inline`);
          view[key] = value.properties.map((inner) => inner.name?.getText());
        } else if (['icon', 'color', 'inputs', 'outputs', 'category'].includes(key)) {
          view[key] = literal(value);
        }
      }
      found.push(view);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('editor files, as the build writes them from each schema', function () {
  for (const [folder, schema] of Object.entries(NODE_SCHEMAS)) {
    const type = schema.type;
    describe(type, function () {
      const html = editorHtml(type);
      const catalog = JSON.parse(readFileSync(localeFile(type, 'en-US', 'json'), 'utf8'));

      it('registers its type with a literal name and object, as the Flow Library parses it', function () {
        const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)];
        should(scripts).have.length(1);
        // syntax: a mistake here would break the whole palette
        should(() => new Script(scripts[0][1], { filename: `${type}.html` })).not.throw();
        const [view] = flowLibraryView(scripts[0][1]);
        const credentials = Object.entries(schema.fields)
          .filter(([, field]) => field.kind === 'credential')
          .map(([name]) => name);
        should(view).eql({
          type,
          category: schema.look.category,
          defaults: Object.keys(defaultsOf(schema)),
          ...(credentials.length ? { credentials } : {}),
          ...Object.fromEntries(
            (['color', 'inputs', 'outputs', 'icon'] as const)
              .filter((key) => schema.look[key] !== undefined)
              .map((key) => [key, schema.look[key]]),
          ),
        });
        should(NODE_TYPES).containEql(type);
        should(folder).equal(type.replace(/^xassist-/, ''));
      });

      it('has a template, help text, and a string for every data-i18n key it uses', function () {
        should(html).containEql(`data-template-name="${type}"`);
        const help = readFileSync(localeFile(type, 'en-US', 'html'), 'utf8');
        should(help).containEql(`data-help-name="${type}"`);
        const keys = [...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map(
          (match) => match[1],
        );
        // the keys are found at all: the smallest dialog (duty's) has a label for each of its
        // two settings and the name's placeholder
        should(keys.length).be.aboveOrEqual(3);
        const missing = keys.filter(
          (key) => !CORE_KEYS.test(key) && lookUp(catalog, key) === undefined,
        );
        should(missing).be.empty();
      });
    });
  }

  it('bundles the editor code for the browser: nothing of Node in it', function () {
    // esbuild's browser platform fails on a Node built-in; a require would be one it let through
    const bundle = editorBundle();
    should(bundle).not.match(/\brequire\(/);
    should(bundle).match(/registerEditor/);
  });

  it('names only catalogue keys that exist, in the editor code', function () {
    const files = [
      ...readdirSync('src/editor').map((file) => path.join('src/editor', file)),
      ...Object.keys(NODE_SCHEMAS).map((folder) => `src/nodes/${folder}/editor.ts`),
    ].filter((file) => file.endsWith('.ts'));
    const catalogs = Object.fromEntries(
      NODE_TYPES.map((type) => [
        type,
        JSON.parse(readFileSync(localeFile(type, 'en-US', 'json'), 'utf8')),
      ]),
    );
    const named: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const [, key] of code.matchAll(/['`](xassist-[a-z-]+\.[\w.-]+)['`]/g)) named.push(key);
      for (const [, key] of code.matchAll(/shared\('([\w.-]+)'/g))
        named.push(`xassist-server.${key}`);
      for (const [, key] of code.matchAll(/\bt\('([\w.-]+)'/g)) {
        if (file.endsWith('steps.ts')) named.push(`xassist-escalate.${key}`);
        if (file.endsWith('server-check.ts')) named.push(`xassist-server.check.${key}`);
        if (path.basename(file).startsWith('duty-')) named.push(`xassist-duty-schedule.${key}`);
      }
    }
    should(named.length).be.above(20);
    const missing = named.filter((key) => {
      const type = key.split('.')[0];
      return lookUp(catalogs[type] ?? {}, key) === undefined;
    });
    should(missing).be.empty();
  });
});

describe('translations', function () {
  function keys(value: unknown, prefix = ''): string[] {
    if (typeof value !== 'object' || value === null) return [prefix];
    return Object.entries(value).flatMap(([key, inner]) =>
      keys(inner, prefix ? `${prefix}.${key}` : key),
    );
  }

  for (const language of ['de', 'fr']) {
    for (const type of NODE_TYPES) {
      it(`${language}: ${type} has every string of en-US, and its help`, function () {
        const english = JSON.parse(readFileSync(localeFile(type, 'en-US', 'json'), 'utf8'));
        const translated = JSON.parse(readFileSync(localeFile(type, language, 'json'), 'utf8'));
        should(keys(translated).sort()).eql(keys(english).sort());
        const help = readFileSync(localeFile(type, language, 'html'), 'utf8');
        should(help).containEql(`data-help-name="${type}"`);
      });
    }
  }
});
