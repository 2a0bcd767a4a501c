/**
 * Where the built package is: every path the benchmarks take into the build comes from here, so
 * that moving the build output changes this file alone. `root` is the package's folder (the
 * checkout, or a copy of the build beside its package.json).
 */
import path from 'node:path';

/** the checkout: package.json, node_modules and the build */
export const PACKAGE_ROOT = path.resolve(__dirname, '../..');

/** the folder the build writes, below the package's folder */
const BUILD_FOLDER = 'dist';

/** The build folder, all of the package that a copy of the build needs beside package.json. */
export function buildFolder(root = PACKAGE_ROOT): string {
  return path.join(root, BUILD_FOLDER);
}

/** A file of the build by its path below the build folder, e.g. `builtFile('sim/cli.js')`. */
export function builtFile(file: string, root = PACKAGE_ROOT): string {
  return path.join(buildFolder(root), file);
}

/** The module of the node type `xassist-<name>`, e.g. `builtNode('escalate')`. */
export function builtNode(name: string, root = PACKAGE_ROOT): string {
  return builtFile(`nodes/${name}/xassist-${name}.js`, root);
}
