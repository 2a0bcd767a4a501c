import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';

/**
 * The tree's files as git sees them, also where there is no git: in a checkout, what git tracks;
 * in a source archive (`git archive HEAD | tar -x`, a downloaded release), the files that the
 * .gitignore rules keep, which in an archive are exactly what git tracked.
 */
const isCheckout = existsSync('.git');
const rules = ignore().add(readFileSync('.gitignore', 'utf8'));

/** Whether git ignores `file` (a posix path from the project's root). */
export function gitIgnores(file: string): boolean {
  if (!isCheckout) return rules.ignores(file);
  try {
    execFileSync('git', ['check-ignore', '--no-index', '-q', file]);
    return true;
  } catch {
    return false;
  }
}

/** The files under `dir` that git tracks (or, in an archive, that it would). */
export function trackedFiles(dir: string): string[] {
  if (isCheckout) {
    return execFileSync('git', ['ls-files', '-z', '--', dir], { encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.posix.join(path.relative('.', entry.parentPath).split(path.sep).join('/'), entry.name),
    )
    .filter((file) => !rules.ignores(file));
}

/**
 * Whether a source of src/ is the editor's browser code (src/editor/, a node's editor.ts): the
 * build bundles it into resources/editor.js, and tsc does not compile it into dist/.
 */
export function isEditorSource(file: string): boolean {
  return file.startsWith('src/editor/') || /^src\/nodes\/[\w-]+\/editor\.ts$/.test(file);
}
