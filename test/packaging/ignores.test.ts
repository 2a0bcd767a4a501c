import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import should from 'should';
import { gitIgnores } from '../support/source-files';

/** What `npm start`, `npm run start:pair`, the build and the examples write into the checkout. */
const WRITTEN = [
  '.node-red/settings.js',
  '.node-red/flows.json',
  '.node-red/flows_cred.json',
  // (not a path through .node-red/node_modules: git cannot look beyond the package's symlink)
  '.node-red/package.json',
  '.node-red/context/global/global.json',
  // npm run start:pair's two instances
  '.node-red-a/settings.js',
  '.node-red-a/flows_cred.json',
  '.node-red-a/xassist-call-log.csv',
  '.node-red-b/flows.json',
  '.node-red-b/context/global/global.json',
  'dist/nodes/server/xassist-server.js',
  'dist/nodes/create-call/icons/xassist-call.svg',
  'xassist-call-log.csv',
];

describe('what npm start, npm run start:pair, the build and the examples write', function () {
  for (const file of WRITTEN) {
    it(`${file} is ignored by git, ESLint and Prettier`, async function () {
      should(gitIgnores(file)).be.true('git');
      should(await new ESLint().isPathIgnored(file)).be.true('ESLint');
      const info = await prettier.getFileInfo(file, { ignorePath: '.prettierignore' });
      should(info.ignored || info.inferredParser === null).be.true('Prettier');
    });
  }
});
