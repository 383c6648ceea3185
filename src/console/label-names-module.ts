/**
 * The display names (src/domain/label-names.ts) as the ES module the console's pages import as
 * /console/label-names.js, so pages, exports and printed reports never name an id differently.
 */
import { LABEL_NAMES } from '../domain/label-names.js';

export const LABEL_NAMES_PATH = '/console/label-names.js';
export const LABEL_NAMES_MODULE = `export const NAMES = ${JSON.stringify(LABEL_NAMES)};\n`;
