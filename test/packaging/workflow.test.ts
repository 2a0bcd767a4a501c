import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import should from 'should';

/**
 * The GitHub workflow against what the project's CI is: `.ci/run` on each supported Node and
 * Node-RED line. Reads files only.
 */
const WORKFLOW = '.github/workflows/ci.yml';
const SCRIPT = '.ci/run';
const RUN_SCRIPT = `bash ${SCRIPT}`;
/** Node × Node-RED: Node-RED 3.1 and 4 on Node 20 and 22, Node-RED 5 (Node >= 22.9) on 22 and 24. */
const PAIRS = ['20 × 3.1', '20 × 4', '22 × 3.1', '22 × 4', '22 × 5', '24 × 5'];
const SUBJECT_LIMIT = 72;

/**
 * js-yaml as mocha's own dependency (mocha reads .mocharc.yml with it), resolved from mocha's
 * directory rather than from a hoisted node_modules/js-yaml: the project declares no YAML parser.
 */
const { load } = createRequire(require.resolve('mocha'))('js-yaml') as {
  load(text: string): unknown;
};

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Env };
type Env = Record<string, unknown>;
type Matrix = Record<string, unknown> & { include?: Combo[]; exclude?: Combo[] };
type Combo = Record<string, unknown>;
type Job = {
  if?: string;
  'timeout-minutes'?: unknown;
  strategy?: { matrix?: Matrix };
  env?: Env;
  steps?: Step[];
};
type Workflow = {
  on?: unknown;
  permissions?: unknown;
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown };
  env?: Env;
  jobs: Record<string, Job>;
};

const workflow = load(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const jobs = Object.entries(workflow.jobs ?? {});
const matrixJobs = jobs.filter(([, job]) => job.strategy?.matrix !== undefined);

/** The combinations GitHub runs: the cross product, less `exclude`, with `include` applied. */
function expand(matrix: Matrix): Combo[] {
  const { include = [], exclude = [], ...axes } = matrix;
  let combos: Combo[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    combos = combos.flatMap((combo) =>
      (values as unknown[]).map((value) => ({ ...combo, [key]: value })),
    );
  }
  const matches = (combo: Combo, partial: Combo) =>
    Object.entries(partial).every(([key, value]) => String(combo[key]) === String(value));
  combos = Object.keys(axes).length
    ? combos.filter((combo) => !exclude.some((ex) => matches(combo, ex)))
    : [];
  const original = combos.map((combo) => ({ ...combo }));
  for (const entry of include) {
    // an include extends every original combination none of whose own values it overwrites, and
    // is a combination of its own when it extends none
    let extended = false;
    original.forEach((combo, i) => {
      const overwrites = Object.keys(entry).some(
        (key) => key in combo && String(combo[key]) !== String(entry[key]),
      );
      if (!overwrites) {
        Object.assign(combos[i], entry);
        extended = true;
      }
    });
    if (!extended) combos.push({ ...entry });
  }
  return combos;
}

/** The matrix key a `${{ matrix.KEY }}` expression reads, or undefined. */
function matrixKey(value: unknown): string | undefined {
  return /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(String(value ?? '').trim())?.[1];
}

function steps(job: Job): Step[] {
  return job.steps ?? [];
}

function setupNode(job: Job): Step | undefined {
  return steps(job).find((step) => step.uses?.startsWith('actions/setup-node@'));
}

/** The step that runs .ci/run, and the matrix key that its XASSIST_NODE_RED comes from. */
function nodeRedKey(job: Job): string | undefined {
  const step = steps(job).find((s) => s.run?.trim() === RUN_SCRIPT);
  return matrixKey({ ...workflow.env, ...job.env, ...step?.env }.XASSIST_NODE_RED);
}

/** Whether setup-node's `node-version` spec can only give a Node of at least 22.9. */
function atLeast22_9(spec: string): boolean {
  const parts = /^v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(spec);
  if (!parts) return false;
  const major = Number(parts[1]);
  const minor = parts[2];
  // a bare major or `.x` is the newest release of that line, 22.9 and later for 22
  return major > 22 || (major === 22 && (minor === undefined || minor === 'x' || +minor >= 9));
}

/** `Node × Node-RED` of every combination of a matrix job, with how it got each value. */
function pairs(name: string, job: Job): string[] {
  const nodeKey = matrixKey(setupNode(job)?.with?.['node-version']);
  const redKey = nodeRedKey(job);
  should(typeof nodeKey === 'string').be.true(
    `jobs.${name}: setup-node's node-version is not \${{ matrix.<key> }} ` +
      `(it is ${JSON.stringify(setupNode(job)?.with?.['node-version'])})`,
  );
  const runsScript = steps(job).some((step) => step.run?.trim() === RUN_SCRIPT);
  should(runsScript).be.true(`jobs.${name}: no step runs "${RUN_SCRIPT}"`);
  should(typeof redKey === 'string').be.true(
    `jobs.${name}: XASSIST_NODE_RED of the "${RUN_SCRIPT}" step is not \${{ matrix.<key> }}`,
  );
  return expand(job.strategy?.matrix ?? {}).map(
    (combo) => `${combo[nodeKey as string]} × ${combo[redKey as string]}`,
  );
}

describe(`the GitHub workflow, ${WORKFLOW}`, function () {
  it('has jobs, and one of them is a matrix', function () {
    should(jobs.length).above(0, `${WORKFLOW} has no jobs`);
    should(matrixJobs.length).above(0, `${WORKFLOW}: no job has strategy.matrix`);
  });

  it(`runs exactly the Node × Node-RED pairs ${PAIRS.join(', ')}`, function () {
    for (const [name, job] of matrixJobs) {
      const actual = pairs(name, job);
      const missing = PAIRS.filter((pair) => !actual.includes(pair));
      const unexpected = actual.filter((pair) => !PAIRS.includes(pair));
      const twice = actual.filter((pair, i) => actual.indexOf(pair) !== i);
      should([...missing, ...unexpected, ...twice]).eql(
        [],
        `jobs.${name} runs ${actual.join(', ')}; ` +
          `missing: ${missing.join(', ') || 'none'}; ` +
          `unexpected: ${unexpected.join(', ') || 'none'}; ` +
          `more than once: ${twice.join(', ') || 'none'}`,
      );
    }
  });

  it('runs Node-RED 5 only on Node 22.9 or later (22 or 24)', function () {
    for (const [name, job] of matrixJobs) {
      for (const pair of pairs(name, job)) {
        const [node, nodeRed] = pair.split(' × ');
        if (nodeRed.split('.')[0] !== '5') continue;
        should(atLeast22_9(node)).be.true(
          `jobs.${name}: Node-RED ${nodeRed} on Node "${node}", which may be older than 22.9`,
        );
      }
    }
  });

  it(`has every matrix job run "${RUN_SCRIPT}", the script of the project's own CI, and no other command`, function () {
    should(readFileSync(SCRIPT, 'utf8')).match(
      /npm ci\b[\s\S]*npm test\b/,
      `${SCRIPT} no longer runs npm ci, then npm test`,
    );
    for (const [name, job] of matrixJobs) {
      const commands = steps(job)
        .filter((step) => step.run !== undefined)
        .map((step) => (step.run as string).trim());
      should(commands).eql(
        [RUN_SCRIPT],
        `jobs.${name}: its run steps are ${JSON.stringify(commands)}, not just "${RUN_SCRIPT}": ` +
          `whatever else it runs, ${SCRIPT} does not, and the two CIs diverge`,
      );
      const uses = steps(job).map((step) => step.uses?.split('@')[0]);
      const order = ['actions/checkout', 'actions/setup-node'].map((action) =>
        uses.indexOf(action),
      );
      const script = steps(job).findIndex((step) => step.run?.trim() === RUN_SCRIPT);
      should(order[0] >= 0 && order[0] < order[1] && order[1] < script).be.true(
        `jobs.${name}: the steps are not checkout, then setup-node, then "${RUN_SCRIPT}" ` +
          `(uses: ${JSON.stringify(uses.filter(Boolean))})`,
      );
      should(setupNode(job)?.with?.cache).equal(
        'npm',
        `jobs.${name}: setup-node has cache ${JSON.stringify(setupNode(job)?.with?.cache)}, not npm`,
      );
    }
  });

  it('pins actions/checkout and actions/setup-node to a major version (@vN)', function () {
    const found: string[] = [];
    for (const [name, job] of jobs) {
      steps(job).forEach((step, i) => {
        const action = /^actions\/(checkout|setup-node)@/.exec(step.uses ?? '')?.[0];
        if (!action) return;
        found.push(step.uses as string);
        should(step.uses).match(
          /^actions\/(checkout|setup-node)@v\d+$/,
          `jobs.${name}.steps[${i}] uses "${step.uses}", not ${action}v<major>`,
        );
      });
    }
    should(found.some((uses) => uses.startsWith('actions/checkout@'))).be.true(
      'no job uses actions/checkout',
    );
    should(found.some((uses) => uses.startsWith('actions/setup-node@'))).be.true(
      'no job uses actions/setup-node',
    );
  });

  it(`gives every job a timeout, longer than ${SCRIPT}'s own timeout of npm test`, function () {
    const testTimeout = /timeout (\d+)m npm test/.exec(readFileSync(SCRIPT, 'utf8'))?.[1];
    for (const [name, job] of jobs) {
      const minutes = job['timeout-minutes'];
      should(typeof minutes === 'number' && minutes > 0).be.true(
        `jobs.${name} has timeout-minutes ${JSON.stringify(minutes)}, not a number of minutes`,
      );
    }
    for (const [name, job] of matrixJobs) {
      if (testTimeout === undefined) continue;
      should(job['timeout-minutes'] as number).above(
        Number(testTimeout),
        `jobs.${name}: timeout-minutes ${job['timeout-minutes']} would end the job before ` +
          `${SCRIPT}'s "timeout ${testTimeout}m npm test" reports a test that hangs`,
      );
    }
  });

  it('is read-only, and cancels a run that a newer push supersedes', function () {
    should(workflow.permissions).eql(
      { contents: 'read' },
      `permissions is ${JSON.stringify(workflow.permissions)}, not { contents: read }`,
    );
    should(workflow.concurrency?.['cancel-in-progress']).equal(
      true,
      `concurrency is ${JSON.stringify(workflow.concurrency)}, without cancel-in-progress: true`,
    );
    should(workflow.concurrency?.group ?? '').match(
      /github\.ref|pull_request\.number/,
      `concurrency.group "${workflow.concurrency?.group}" names neither the ref nor the pull request`,
    );
  });

  it(`checks on pull requests that commit subjects are at most ${SUBJECT_LIMIT} characters`, function () {
    const commits = workflow.jobs?.commits;
    should(commits !== undefined).be.true(`${WORKFLOW} has no job "commits"`);
    const triggers = workflow.on;
    const onPullRequest =
      triggers === 'pull_request' ||
      (Array.isArray(triggers) && triggers.includes('pull_request')) ||
      (typeof triggers === 'object' && triggers !== null && 'pull_request' in triggers);
    should(onPullRequest).be.true(`${WORKFLOW} does not run on pull_request`);
    should(commits.if ?? '').match(
      /github\.event_name\s*==\s*'pull_request'/,
      `jobs.commits has if: ${JSON.stringify(commits.if)}, not only on pull requests`,
    );

    const checkout = steps(commits).find((step) => step.uses?.startsWith('actions/checkout@'));
    should(checkout?.with?.['fetch-depth']).equal(
      0,
      `jobs.commits: checkout has fetch-depth ${JSON.stringify(checkout?.with?.['fetch-depth'])}, ` +
        'not 0: origin/<base> is not fetched',
    );

    const script = steps(commits)
      .map((step) => step.run ?? '')
      .find((run) => run.includes('git log'));
    should(script !== undefined).be.true('jobs.commits: no run step calls git log');
    const command = /git log[^\n]*/.exec(script as string)?.[0] ?? '';
    should(command).match(
      /--format=%s\b/,
      `jobs.commits: "${command}" does not list subjects (--format=%s)`,
    );
    should(command).match(
      /origin\/\$\{\{\s*github\.base_ref\s*\}\}\.\.HEAD\b/,
      `jobs.commits: "${command}" does not list origin/\${{ github.base_ref }}..HEAD`,
    );
    should(script).match(
      new RegExp(`(-gt|>)\\s*${SUBJECT_LIMIT}\\b`),
      `jobs.commits: the script compares no subject's length with ${SUBJECT_LIMIT}:\n${script}`,
    );
    // on pull_request, HEAD is otherwise GitHub's "Merge <sha> into <sha>", 92 characters
    should(
      String(checkout?.with?.ref ?? '').includes('github.event.pull_request.head.sha') ||
        command.includes('--no-merges'),
    ).be.true(
      "jobs.commits: HEAD is GitHub's merge commit (92 characters): check out " +
        '${{ github.event.pull_request.head.sha }} or pass --no-merges',
    );
  });
});
