import type { NodeDef } from 'node-red';
import type { PlanSettings, StepSetting } from '../../escalation/plan';
import type { NodeKit } from '../../node-red/skeleton';
import type { TypedSetting } from '../../node-red/typed-input';
import { ESCALATE_SCHEMA } from './schema';

export interface EscalateConfig extends NodeDef {
  server?: string;
  steps?: StepSetting[];
  /** seconds each step waits for a join, unless the step says otherwise */
  timeout?: string | number;
  /** how many times the list is called through */
  rounds?: string | number;
  callTitle?: string;
  callTitleType?: string;
  creatorUser?: string;
  creatorUserType?: string;
  dedupKey?: string;
  dedupKeyType?: string;
  /** seconds between two reads of a call */
  pollInterval?: string | number;
  /** a fourth output: every open escalation (and the latest ended) on every change */
  progress?: boolean;
  /** skip the people the server reports offline (off by default) */
  presence?: boolean;
}

export interface EscalateSettings {
  plan: PlanSettings;
  rounds: number;
  dedupKey: TypedSetting;
  intervalMs: number;
  progress: boolean;
  presence: boolean;
}

const { fields } = ESCALATE_SCHEMA;

export function escalateSettingsOf(config: EscalateConfig, kit: NodeKit): EscalateSettings {
  const { t } = kit;
  const timeoutS = kit.number(config.timeout, fields.timeout, t('label.timeout'));
  return {
    plan: {
      steps: config.steps ?? [],
      callTitle: { value: config.callTitle, type: config.callTitleType },
      creatorUser: { value: config.creatorUser, type: config.creatorUserType },
      defaultTimeoutMs: timeoutS * 1000,
      errors: { noSteps: t('errors.no-steps'), emptyStep: t('errors.empty-step') },
    },
    rounds: kit.number(config.rounds, fields.rounds, t('label.rounds')),
    dedupKey: { value: config.dedupKey, type: config.dedupKeyType },
    intervalMs:
      kit.number(config.pollInterval, fields.pollInterval, t('label.pollInterval')) * 1000,
    progress: config.progress === true,
    presence: config.presence === true,
  };
}
