import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Analysis, AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import { createEngine, type Engine, type PreparedUtterance } from './analyse/engine.js';
import { normalise } from './normalise/normalise.js';
import { jiebaGeneration } from './segment/jieba.js';
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
  /** the customer, talking to an agent, says no word of displeasure (the model may not add a complaint) */
  customerCalm: boolean;
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
  /**
   * Forget the utterances remembered so far (see `process`): what a new process starts with. The
   * benchmark clears them before each round so that a round gains only from the text's own
   * repetition.
   */
  clearRemembered(): void;
}

/** Bumped when the engine's code changes what it detects (re-analysis keys on it). */
export const PIPELINE_VERSION = 'engine-1';

export const DEFAULT_MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

function contentTokens(words: readonly string[]): string[] {
  return words.filter((w) => !isBlankToken(w));
}

/**
 * Distinct utterance texts whose normalisation and segmentation are remembered; all are forgotten
 * when full (about 1 KB each). Agent scripts and short answers (好的, 对的, 没有了) recur verbatim in
 * every call; normalising and segmenting (jieba) is about half of the rules' time.
 */
const MAX_REMEMBERED = 10_000;

type Prepared = Pick<PreparedUtterance, 'norm' | 'seg'>;

export function createPipeline(options: PipelineOptions = {}): Pipeline {
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const taxonomyDir = join(modelsDir, 'taxonomy');
  const segmenter: Segmenter = createSegmenter(join(modelsDir, 'dictionaries'));
  let engine: Engine = createEngine(taxonomyDir, options.homeInstitution);
  // original text → its normalised text and words (both read-only downstream); jieba is one per
  // process, so words another pipeline's dictionary adds also make the remembered words stale
  let remembered = new Map<string, Prepared>();
  let rememberedGeneration = jiebaGeneration();
  const prepare = (text: string): Prepared => {
    if (rememberedGeneration !== jiebaGeneration()) {
      remembered = new Map();
      rememberedGeneration = jiebaGeneration();
    }
    let p = remembered.get(text);
    if (p === undefined) {
      if (remembered.size >= MAX_REMEMBERED) remembered = new Map();
      const norm = normalise(text);
      p = { norm, seg: segmenter.segment(norm.text) };
      remembered.set(text, p);
    }
    return p;
  };

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
        const { norm, seg } = prepare(u.text);
        return { speaker: u.speaker, norm, seg };
      });
      const { analysis, utteranceSentiment, customerCalm } = engine.analyse(conversation.id, prepared);
      return {
        tokens: prepared.map((p) => contentTokens(p.seg.words)),
        analysis,
        utteranceSentiment,
        customerCalm,
      };
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
    clearRemembered(): void {
      remembered = new Map();
    },
  };
}
