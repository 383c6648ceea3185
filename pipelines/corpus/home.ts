/** The (fictional) bank that runs the contact center in the corpus: never a competitor. */
export const CORPUS_HOME_INSTITUTION = { id: 'home', names: ['安泰银行', '安泰'] };
