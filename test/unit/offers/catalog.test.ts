import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogHolder, loadCatalog, OfferCatalogError, parseCatalog } from '../../../src/offers/catalog.js';

const taxonomy = fs.readFileSync(path.resolve('models/taxonomy/needs.yaml'), 'utf8');

describe('offer catalog', () => {
  it('loads the default catalog: every need of the taxonomy, retention and service recovery, in Chinese', () => {
    const catalog = loadCatalog(path.resolve('models'));
    const needs = [
      'credit_card_new',
      'credit_limit_increase',
      'installment',
      'personal_loan',
      'mortgage',
      'car_loan',
      'business_loan',
      'wealth_management',
      'deposit',
      'insurance',
      'fx_overseas',
      'pension',
      'precious_metals',
    ];
    for (const need of needs) {
      assert.ok(taxonomy.includes(need), `${need} is a taxonomy need`);
      assert.ok(
        catalog.offers.some((o) => o.kind === 'sale' && o.need === need),
        `an offer serves ${need}`,
      );
    }
    assert.ok(catalog.offers.some((o) => o.kind === 'retention'));
    const feeWaiver = catalog.byId.get('recovery_fee_waiver');
    assert.equal(feeWaiver?.kind, 'service_recovery');
    assert.ok(
      feeWaiver.context.some((c) => c.weight > 1),
      'a fee complaint raises the fee waiver',
    );
    for (const o of catalog.offers)
      assert.match(o.name + o.pitch, /[\u4e00-\u9fff]/u, `${o.id} is in Chinese`);
    assert.match(catalog.version, /^[0-9a-f]{12}$/);
  });

  it('names the file, the path and what was expected', () => {
    const bad = `
offers:
  - id: Deposit
    product: deposit
    name: 存单
    kind: gift
    eligibility: has(need.deposit
    channels: []
    value: 1
    prior: { alpha: 1, beta: 1 }
    pitch: x
`;
    try {
      parseCatalog([{ name: 'models/offers/bad.yaml', text: bad }]);
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof OfferCatalogError);
      const text = err.problems.join('\n');
      assert.match(text, /bad\.yaml: offers\.0\.id: expected a lower-case id/);
      assert.match(text, /bad\.yaml: offers\.0\.kind: /);
      assert.match(text, /bad\.yaml: offers\.0\.eligibility: not a valid expression \(expected "\)"/);
      assert.match(text, /bad\.yaml: offers\.0\.channels: expected at least one channel/);
      assert.match(text, /no file defines `policy`/);
    }
  });

  it('refuses an id defined twice', () => {
    const dir = path.resolve('models/offers');
    const files = fs
      .readdirSync(dir)
      .map((n) => ({ name: n, text: fs.readFileSync(path.join(dir, n), 'utf8') }));
    const catalogFile = files.find((f) => f.name === 'catalog.yaml')!;
    assert.throws(
      () => parseCatalog([...files, { name: 'copy.yaml', text: catalogFile.text }]),
      /copy\.yaml: offers\.0\.id: "credit_card_new_gold" is already defined in catalog\.yaml/,
    );
  });

  it('reloads, and keeps the previous catalog when the new files are invalid', () => {
    const models = fs.mkdtempSync(path.join(os.tmpdir(), 'offers-'));
    fs.mkdirSync(path.join(models, 'offers'));
    for (const n of ['catalog.yaml', 'policy.yaml'])
      fs.copyFileSync(path.resolve('models/offers', n), path.join(models, 'offers', n));
    const holder = new CatalogHolder(models);
    const before = holder.catalog.version;
    fs.appendFileSync(path.join(models, 'offers', 'catalog.yaml'), '\n# a comment\n');
    assert.notEqual(holder.reload().version, before);
    const good = holder.catalog.version;
    fs.writeFileSync(path.join(models, 'offers', 'extra.yaml'), 'offers: [ { id: x } ]');
    assert.throws(() => holder.reload(), /extra\.yaml: offers\.0\.product/);
    assert.equal(holder.catalog.version, good);
    fs.rmSync(models, { recursive: true, force: true });
  });
});
