import should from 'should';
import { redisOptionsOf, safeUrl } from '../../src/state/redis-options';

const base = { prefix: 'xassist:', leaseMs: 10_000 };

describe('Redis URLs', function () {
  it('reads host, port, database, user and password, the credential winning over the URL', function () {
    should(redisOptionsOf({ ...base, url: 'redis://10.0.0.5:6380/2' })).match({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
    });
    should(redisOptionsOf({ ...base, url: 'redis://redis.local' })).match({ port: 6379, db: 0 });
    should(redisOptionsOf({ ...base, url: 'redis://app:in-url@h:1' })).match({
      username: 'app',
      password: 'in-url',
    });
    should(redisOptionsOf({ ...base, url: 'redis://app:in-url@h:1', password: 'cred' })).match({
      password: 'cred',
    });
  });

  it('turns TLS on for rediss://, with the TLS config', function () {
    should(redisOptionsOf({ ...base, url: 'rediss://h:6380' }).tls).eql({});
    should(redisOptionsOf({ ...base, url: 'rediss://h', tls: { ca: 'CA' } }).tls).eql({ ca: 'CA' });
    should(redisOptionsOf({ ...base, url: 'redis://h' }).tls).be.undefined();
  });

  it('reads Sentinels and the master name', function () {
    should(
      redisOptionsOf({ ...base, url: 'redis+sentinel://s1:26379,s2/mymaster/1', password: 'p' }),
    ).match({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      db: 1,
      password: 'p',
    });
    should(() => redisOptionsOf({ ...base, url: 'redis+sentinel://s1:26379' })).throw(
      /names its master/,
    );
  });

  it('names a bad URL without its password', function () {
    should(() => redisOptionsOf({ ...base, url: 'http://user:hunter2@h' })).throw(
      /'http:\/\/h' is not redis:\/\/host:port/,
    );
    should(safeUrl('rediss://user:hunter2@h:6380/1')).equal('rediss://h:6380/1');
  });
});
