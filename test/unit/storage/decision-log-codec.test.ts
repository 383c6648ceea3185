import assert from 'node:assert/strict';
import type { DecisionRecord } from '../../../src/domain/offer.js';
import {
  packDecision,
  packDecisionV1,
  unpackDecision,
} from '../../../src/storage/sqlite/decision-log-codec.js';

const record: DecisionRecord = {
  decisionId: '3f0c2a8e-6a44-4d5e-9a53-0d7c1b2f9e11',
  customerId: 'CRM-660018',
  channel: 'call',
  agentId: 'A-007',
  at: '2026-11-02T02:00:00.000Z',
  segment: 'comparing',
  control: false,
  catalogVersion: 'abc123',
  offers: [
    {
      offerId: 'deposit_large_cd',
      kind: 'sale',
      product: 'large_cd',
      name: '三年期大额存单',
      score: { propensity: 0.21, context: 2, value: 1.2, levers: 1, priority: 0.504 },
      reason: '客户4天前来电提到"招行的大额存单利率比你们高多了"。',
      triggerTag: 'competitor.cmb.rate',
      probability: 0.61,
    },
  ],
  suppressed: [
    { offerId: 'fund_sip', stage: 'eligibility', why: '客户标签不满足资格条件' },
    { offerId: 'pension_account', stage: 'eligibility', why: '客户标签不满足资格条件' },
  ],
  stages: {
    deposit_large_cd: [
      { stage: 'eligibility', pass: true, why: '客户标签满足条件：competitor.cmb.rate' },
      { stage: 'applicability', pass: true, why: '渠道、有效期与排除条件均满足' },
      { stage: 'arbitration', pass: true, why: '排名第1（优先级 0.504）' },
    ],
    fund_sip: [
      { stage: 'eligibility', pass: false, why: '客户标签不满足资格条件' },
      { stage: 'applicability', pass: true, why: '渠道、有效期与排除条件均满足' },
      { stage: 'arbitration', pass: false, why: '未进入仲裁' },
    ],
  },
  candidates: [
    {
      offerId: 'deposit_large_cd',
      probability: 0.61,
      propensityMean: 0.2,
      context: 2,
      value: 1.2,
      levers: 1,
    },
  ],
  tags: ['competitor.cmb.rate'],
  complaintOpen: false,
  outcomes: [
    { offerId: 'deposit_large_cd', outcome: 'accepted', at: '2026-11-03T00:00:00.000Z', source: 'api' },
  ],
};

const withoutOutcomes = { ...record, outcomes: [] };

describe('decision log codec (SQLite rows)', () => {
  it('reads back what it wrote, every verdict and suppression, without the outcomes', () => {
    assert.deepEqual(unpackDecision(packDecision(record)), withoutOutcomes);
  });

  it('stores each repeated sentence once', () => {
    const row = packDecision(record);
    assert.equal(row.split('渠道、有效期与排除条件均满足').length - 1, 1);
    assert.equal(row.split('客户标签不满足资格条件').length - 1, 1);
  });

  it('still reads rows of the earlier formats: deflated JSON and plain JSON text', () => {
    assert.deepEqual(unpackDecision(packDecisionV1(record)), withoutOutcomes);
    assert.deepEqual(unpackDecision(JSON.stringify({ ...record, outcomes: undefined })), withoutOutcomes);
  });
});
