import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTaxonomy, TaxonomyError } from '../../../../src/pipeline/analyse/taxonomy/load-taxonomy.js';
import { createPipeline, DEFAULT_MODELS_DIR } from '../../../../src/pipeline/run-pipeline.js';

function copyModels(): string {
  const dir = mkdtempSync(join(tmpdir(), 'voc-models-'));
  cpSync(join(DEFAULT_MODELS_DIR, 'taxonomy'), join(dir, 'taxonomy'), { recursive: true });
  cpSync(join(DEFAULT_MODELS_DIR, 'dictionaries'), join(dir, 'dictionaries'), { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const content = readFileSync(file, 'utf8');
  assert.ok(content.includes(from), `${file} contains ${from}`);
  writeFileSync(file, content.replace(from, to));
}

describe('taxonomy files', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyModels();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped taxonomy and versions it by content', () => {
    const a = loadTaxonomy(join(dir, 'taxonomy'));
    assert.match(a.version, /^[0-9a-f]{12}$/);
    assert.equal(loadTaxonomy(join(dir, 'taxonomy')).version, a.version);
    edit(join(dir, 'taxonomy', 'sentiment.yaml'), '谢谢: 0.4', '谢谢: 0.5');
    assert.notEqual(loadTaxonomy(join(dir, 'taxonomy')).version, a.version);
  });

  it('says which file, which path and what was expected', () => {
    edit(join(dir, 'taxonomy', 'needs.yaml'), '  deposit:', '  deposits:');
    assert.throws(
      () => loadTaxonomy(join(dir, 'taxonomy')),
      (error: unknown) => {
        assert.ok(error instanceof TaxonomyError);
        assert.match(error.message, /needs\.yaml: needs\.deposits/);
        assert.match(error.message, /deposit/, 'lists the valid ids');
        return true;
      },
    );
  });

  it('rejects a wrong type and a broken pattern with their path', () => {
    edit(join(dir, 'taxonomy', 'cues.yaml'), '  scope: 3', '  scope: three');
    assert.throws(() => loadTaxonomy(join(dir, 'taxonomy')), /cues\.yaml: negation\.scope: .*number/);
    edit(join(dir, 'taxonomy', 'cues.yaml'), '  scope: three', '  scope: 3');
    edit(join(dir, 'taxonomy', 'complaints.yaml'), '"填 ~3 表"', '"填 ~x 表"');
    assert.throws(
      () => createPipeline({ modelsDir: dir }),
      /complaints\.yaml: categories\.process_complexity\.patterns\[1\]: .*~N/,
    );
  });

  it('rejects an unknown taxonomy file (a typo in a name would otherwise be ignored)', () => {
    writeFileSync(join(dir, 'taxonomy', 'need.yaml'), 'needs: {}\n');
    assert.throws(() => loadTaxonomy(join(dir, 'taxonomy')), /need\.yaml: unexpected taxonomy file/);
  });

  it('reload: editing a taxonomy file changes what is detected, and the version', () => {
    const pipeline = createPipeline({ modelsDir: dir });
    const conversation = {
      id: 'r',
      channel: 'chat' as const,
      startedAt: '2026-11-01T10:00:00+08:00',
      utterances: [{ speaker: 'customer' as const, text: '我想了解一下数字人民币钱包' }],
    };
    assert.deepEqual(pipeline.process(conversation).analysis.needs, []);
    const before = pipeline.versions.taxonomy;

    edit(
      join(dir, 'taxonomy', 'needs.yaml'),
      'products: [理财, 理财产品,',
      'products: [数字人民币钱包, 理财, 理财产品,',
    );
    const report = pipeline.reload();
    assert.notEqual(report.versions.taxonomy, before);
    assert.deepEqual(pipeline.process(conversation).analysis.needs, ['wealth_management']);

    // an invalid edit keeps the running taxonomy
    edit(join(dir, 'taxonomy', 'needs.yaml'), 'needs:', 'nedes:');
    assert.throws(() => pipeline.reload(), TaxonomyError);
    assert.deepEqual(pipeline.process(conversation).analysis.needs, ['wealth_management']);
  });

  it('the home institution from configuration is never a competitor', () => {
    const text = {
      id: 'h',
      channel: 'call' as const,
      startedAt: '',
      utterances: [{ speaker: 'customer' as const, text: '招行的年费太贵了' }],
    };
    const asCompetitor = createPipeline({ modelsDir: dir }).process(text).analysis;
    assert.deepEqual(
      asCompetitor.competitors.map((c) => c.id),
      ['cmb'],
    );
    assert.equal(asCompetitor.complaint.is, false, 'a complaint about a competitor is not ours');
    const asHome = createPipeline({
      modelsDir: dir,
      homeInstitution: { id: 'cmb', names: ['招商银行'] },
    }).process(text).analysis;
    assert.deepEqual(asHome.competitors, []);
    assert.deepEqual(asHome.complaint.categories, ['fees']);
  });
});
