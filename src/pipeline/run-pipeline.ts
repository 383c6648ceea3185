import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Analysis, AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import { createEngine, type Engine, type PreparedUtterance } from './analyse/engine.js';
import { normalise } from './normalise/normalise.js';
import { createSegmenter, isBlankToken, type ReloadReport, type Segmenter } from './segment/segmenter.js';

/**
 * The worker-side analysis stages and their order: normalise -> segment -> analyse.
 * (Redaction runs at ingest, before anything is persisted; the input here is already redacted.)
 */
export interface PipelineOptions {
  /** Directory holding dictionaries/ and taxonomy/ (default <repo>/models). */
  modelsDir?: string;
  /** The bank running the contact center: its names are never competitors. */
  homeInstitution?: { id: string; names: string[] };
}

export interface ProcessResult {
  tokens: string[][];
  analysis: Analysis;
  /** customer sentiment per utterance (-1..1), null for agent and system speech */
  utteranceSentiment: (number | null)[];
}

export interface PipelineReloadReport {
  versions: AnalysisVersions;
  dictionary: ReloadReport;
}

export interface Pipeline {
  readonly versions: AnalysisVersions;
  /** normalise -> segment -> analyse. The input is already redacted. */
  process(conversation: Conversation): ProcessResult;
  /** Segment a search query with the same dictionary and normalisation as indexing. */
  segmentQuery(text: string): string[];
  /**
   * Re-read taxonomy and dictionary files. An invalid taxonomy throws and the running one stays.
   * Dictionary words added apply at once; removed words need a process restart (nodejieba).
   */
  reload(): PipelineReloadReport;
}

/** Bumped when the engine's code changes what it detects (re-analysis keys on it). */
export const PIPELINE_VERSION = 'engine-1';

export const DEFAULT_MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

function contentTokens(words: readonly string[]): string[] {
  return words.filter((w) => !isBlankToken(w));
}

export function createPipeline(options: PipelineOptions = {}): Pipeline {
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const taxonomyDir = join(modelsDir, 'taxonomy');
  const segmenter: Segmenter = createSegmenter(join(modelsDir, 'dictionaries'));
  let engine: Engine = createEngine(taxonomyDir, options.homeInstitution);

  const versions = (): AnalysisVersions => ({
    pipeline: PIPELINE_VERSION,
    taxonomy: engine.version,
    dictionary: segmenter.version,
    model: 'none',
  });

  return {
    get versions() {
      return versions();
    },
    process(conversation: Conversation): ProcessResult {
      const prepared: PreparedUtterance[] = conversation.utterances.map((u) => {
        const norm = normalise(u.text);
        return { speaker: u.speaker, norm, seg: segmenter.segment(norm.text) };
      });
      const { analysis, utteranceSentiment } = engine.analyse(conversation.id, prepared);
      return { tokens: prepared.map((p) => contentTokens(p.seg.words)), analysis, utteranceSentiment };
    },
    segmentQuery(text: string): string[] {
      const tokens = contentTokens(segmenter.segment(normalise(text).text).words);
      // a query made only of filler words (就是, 那个) is still a query
      return tokens.length > 0 ? tokens : contentTokens(segmenter.segment(text.toLowerCase()).words);
    },
    reload(): PipelineReloadReport {
      const next = createEngine(taxonomyDir, options.homeInstitution);
      const dictionary = segmenter.reload();
      engine = next;
      return { versions: versions(), dictionary };
    },
  };
}
