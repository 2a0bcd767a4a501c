import should from 'should';
import { numberSetting } from '../../src/node-red/settings';

describe('a number from a node setting', function () {
  const setting = { label: 'Go through', fallback: 1, min: 1, max: 100, integer: true };

  it('is the fallback when empty, and the value when valid', function () {
    const warned: unknown[] = [];
    const warn = (...args: unknown[]) => warned.push(args);
    should(numberSetting('', setting, warn)).equal(1);
    should(numberSetting(undefined, setting, warn)).equal(1);
    should(numberSetting('3', setting, warn)).equal(3);
    should(numberSetting(100, setting, warn)).equal(100);
    should(warned).be.empty();
  });

  it('falls back on a value it cannot take, and says so, naming the setting', function () {
    for (const bad of ['abc', '0', '101', '2.5', -1, 'Infinity']) {
      const warned: Array<[string, string, number]> = [];
      should(numberSetting(bad, setting, (...args) => warned.push(args))).equal(1);
      should(warned).eql([['Go through', String(bad), 1]]);
    }
  });
});
