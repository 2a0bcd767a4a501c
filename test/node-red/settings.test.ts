import should from 'should';
import { numberSetting } from '../../src/node-red/settings';
import { CALL_HISTORY_SCHEMA } from '../../src/nodes/call-history/schema';
import { ESCALATE_SCHEMA } from '../../src/nodes/escalate/schema';

describe('a number from a node setting, as its schema field takes it', function () {
  const rounds = ESCALATE_SCHEMA.fields.rounds;

  it('is the default when empty, and the value when valid', function () {
    const warned: unknown[] = [];
    const warn = (...args: unknown[]) => warned.push(args);
    should(numberSetting('', rounds, 'Go through', warn)).equal(1);
    should(numberSetting(undefined, rounds, 'Go through', warn)).equal(1);
    should(numberSetting('3', rounds, 'Go through', warn)).equal(3);
    should(numberSetting(100, rounds, 'Go through', warn)).equal(100);
    should(warned).be.empty();
  });

  it('falls back on a value it cannot take, and says so, naming the setting', function () {
    for (const bad of ['abc', '0', '101', '2.5', -1, 'Infinity', ' ']) {
      const warned: unknown[][] = [];
      should(numberSetting(bad, rounds, 'Go through', (...args) => warned.push(args))).equal(1);
      should(warned).eql([['Go through', String(bad), 1]]);
    }
  });

  it('is undefined when a setting that may stay empty is, and its fallback when it is bad', function () {
    const { limit, hours } = CALL_HISTORY_SCHEMA.fields;
    const warned: unknown[][] = [];
    const warn = (...args: unknown[]) => warned.push(args);
    should(numberSetting('', limit, 'Calls', warn)).be.undefined();
    should(numberSetting('0', limit, 'Calls', warn)).equal(100);
    should(numberSetting('0.5', hours, 'Hours', warn)).equal(0.5);
    should(numberSetting('0', hours, 'Hours', warn)).equal(24);
    should(warned).eql([
      ['Calls', '0', 100],
      ['Hours', '0', 24],
    ]);
  });
});
