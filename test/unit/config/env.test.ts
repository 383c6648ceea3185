import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../../src/config/env.js';

describe('loadConfig', () => {
  it('defaults to the embedded mode on port 8080 with ./data', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'embedded');
    assert.equal(config.http.port, 8080);
    assert.equal(config.storage.kind, 'sqlite');
    assert.match(config.storage.kind === 'sqlite' ? config.storage.dataDir : '', /data$/);
  });

  it('is distributed when both ELASTICSEARCH_URL and REDIS_URL are set', () => {
    const config = loadConfig({
      ELASTICSEARCH_URL: 'http://es:9200',
      REDIS_URL: 'redis://r:6379',
      PORT: '9000',
      ID_HASH_SECRET: 'x'.repeat(32),
    });
    assert.equal(config.mode, 'distributed');
    assert.deepEqual(config.storage, { kind: 'elasticsearch', url: 'http://es:9200', indexPrefix: 'voc-' });
    assert.equal(config.http.port, 9000);
  });

  it('refuses one of the two distributed settings alone, naming the missing one', () => {
    assert.throws(
      () => loadConfig({ ELASTICSEARCH_URL: 'http://es:9200' }),
      (err: ConfigError) => {
        assert.match(err.message, /REDIS_URL is not set/);
        return true;
      },
    );
  });

  it('requires ID_HASH_SECRET in the distributed mode', () => {
    assert.throws(
      () => loadConfig({ ELASTICSEARCH_URL: 'http://es:9200', REDIS_URL: 'redis://r:6379' }),
      /ID_HASH_SECRET/,
    );
  });

  it('lists every problem at once', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          ELASTICSEARCH_URL: 'es:9200',
          REDIS_URL: 'http://x',
          LOG_LEVEL: 'loud',
        }),
      (err: ConfigError) => {
        assert.equal(err.problems.length, 4, err.message);
        assert.match(err.message, /PORT/);
        assert.match(err.message, /ELASTICSEARCH_URL: must be a URL starting with http:\/\/ or https:\/\//);
        assert.match(err.message, /REDIS_URL/);
        assert.match(err.message, /LOG_LEVEL/);
        return true;
      },
    );
  });

  it('treats empty strings as unset', () => {
    assert.equal(loadConfig({ ELASTICSEARCH_URL: '', REDIS_URL: '' }).mode, 'embedded');
  });
});
