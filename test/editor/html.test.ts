import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import should from 'should';
import { editorFile, localeFile } from '../support/editor-files';

const TYPES = [
  'xassist-server',
  'xassist-create-call',
  'xassist-call-status',
  'xassist-escalate',
  'xassist-call-history',
];
const CORE_KEYS = /^node-red:/;

function lookUp(catalog: Record<string, unknown>, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog);
}

describe('editor files', function () {
  for (const type of TYPES) {
    describe(type, function () {
      const html = readFileSync(editorFile(type), 'utf8');
      const catalog = JSON.parse(readFileSync(localeFile(type, 'en-US', 'json'), 'utf8'));

      it('registers its type with a literal name and object, as the Flow Library parses it', function () {
        should(html).match(new RegExp(`RED\\.nodes\\.registerType\\('${type}', \\{`));
        const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)];
        should(scripts).have.length(1);
        // syntax only: a mistake here would break the whole palette
        should(() => new Script(scripts[0][1], { filename: `${type}.html` })).not.throw();
      });

      it('has a template, help text, and a string for every data-i18n key it uses', function () {
        should(html).containEql(`data-template-name="${type}"`);
        const help = readFileSync(localeFile(type, 'en-US', 'html'), 'utf8');
        should(help).containEql(`data-help-name="${type}"`);
        const keys = [...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map(
          (match) => match[1],
        );
        const missing = keys.filter(
          (key) => !CORE_KEYS.test(key) && lookUp(catalog, key) === undefined,
        );
        should(missing).be.empty();
      });
    });
  }
});

describe('translations', function () {
  function keys(value: unknown, prefix = ''): string[] {
    if (typeof value !== 'object' || value === null) return [prefix];
    return Object.entries(value).flatMap(([key, inner]) =>
      keys(inner, prefix ? `${prefix}.${key}` : key),
    );
  }

  for (const language of ['de', 'fr']) {
    for (const type of TYPES) {
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
