/** Column names of a competitor report: the aspects, and the two counts that are not aspects. */
import type { Aspect } from '../domain/labels.js';
import { ASPECT_NAMES } from '../domain/label-names.js';

export { COMPETITOR_NAMES } from '../domain/label-names.js';

export const REPORT_ASPECT_NAMES: Record<Aspect | 'switching' | 'mention', string> = {
  ...ASPECT_NAMES,
  switching: '转移意向',
  mention: '提及',
};
