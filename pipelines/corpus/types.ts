import type {
  Aspect,
  ComplaintCategory,
  CompetitorId,
  Escalation,
  LifeEvent,
  Need,
} from '../../src/domain/labels.js';

/** The labels an analyst would give one conversation (taxonomy.md), without sentiment and evidence. */
export interface Expected {
  complaint: boolean;
  categories: ComplaintCategory[];
  escalation: Escalation[];
  competitors: { id: CompetitorId; aspects: Aspect[]; switchingIntent: boolean }[];
  needs: Need[];
  declinedNeeds: Need[];
  lifeEvents: LifeEvent[];
}

/** A piece of customer speech and what it means on its own. */
export interface Unit {
  text: string;
  labels: Partial<Expected>;
}

export type Split = 'train' | 'dev';

/** A phrase bank: phrasings used for train and, separately, phrasings kept for dev. */
export interface Bank<T> {
  train: T[];
  dev: T[];
}

export function emptyExpected(): Expected {
  return {
    complaint: false,
    categories: [],
    escalation: [],
    competitors: [],
    needs: [],
    declinedNeeds: [],
    lifeEvents: [],
  };
}
