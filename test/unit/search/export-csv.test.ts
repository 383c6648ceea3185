import assert from 'node:assert/strict';
import { beijingTime, csvCell } from '../../../src/search/export-service.js';
import { SavedSearchService } from '../../../src/search/saved-search-service.js';
import { MemorySavedSearchStore } from '../../../src/storage/memory/memory-saved-search-store.js';

describe('CSV cells', () => {
  it('keep numbers as numbers and defuse formulas', () => {
    assert.equal(csvCell('-0.54'), '-0.54');
    assert.equal(csvCell('0.30'), '0.30');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('-年费'), "'-年费");
    assert.equal(csvCell('客户:太贵, 不办了'), '"客户:太贵, 不办了"');
  });

  it('write start times in Beijing time', () => {
    assert.equal(beijingTime('2026-11-03T02:00:00Z'), '2026-11-03 10:00:00');
    assert.equal(beijingTime('2026-11-03T10:00:00+08:00'), '2026-11-03 10:00:00');
  });
});

describe('saved search names', () => {
  it('are redacted like utterances, the owner name too', async () => {
    const service = new SavedSearchService(new MemorySavedSearchStore());
    const saved = await service.create({ id: 'k1', name: '分析员13912345678' }, '客户13812345678的投诉', {
      q: '13812345678 年费',
    });
    assert.equal(saved.name, '客户*******5678的投诉');
    assert.equal(saved.query.q, '*******5678 年费');
    assert.equal(saved.ownerName, '分析员*******5678');
    assert.equal(saved.shared, false);
    const [listed] = await service.list('k1');
    assert.equal(listed?.name, '客户*******5678的投诉');
  });
});
