/**
 * The .xlsx export: sheet 会话 (one row per conversation, Chinese headers and label names, numbers
 * and times as Excel numbers and dates) and sheet 匹配语句 (the matching utterances, redacted text).
 * Written with exceljs's streaming writer: each row is serialised and released as it is added, so
 * 50,000 conversations are never held as objects; the second sheet's XML waits in memory until the
 * first sheet is finished (a zip holds one file after the other).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { redactStrings } from '../pipeline/redact/redact-strings.js';
import { conversationCells } from './export-rows.js';
import { SPEAKER_NAMES } from '../domain/label-names.js';
import type { SearchResultItem } from './search-service.js';

export const XLSX_SHEETS = { conversations: '会话', utterances: '匹配语句' } as const;

const CONVERSATION_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: '会话ID', width: 22 },
  { header: '开始时间(北京时间)', width: 20, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
  { header: '渠道', width: 8 },
  { header: '坐席', width: 10 },
  { header: '客户', width: 16 },
  { header: '是否投诉', width: 9 },
  { header: '投诉类别', width: 20 },
  { header: '升级倾向', width: 14 },
  { header: '竞品', width: 16 },
  { header: '转移意向(竞品)', width: 16 },
  { header: '需求', width: 16 },
  { header: '人生事件', width: 12 },
  { header: '客户情绪(-1~1)', width: 14, style: { numFmt: '0.00' } },
  { header: '语句数', width: 8 },
  { header: '匹配语句数', width: 10 },
];

const UTTERANCE_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: '会话ID', width: 22 },
  { header: '语句序号', width: 9 },
  { header: '说话人', width: 8 },
  { header: '语句', width: 80 },
];

/** Streams the workbook into `out` (ending it); `progress.rows` counts conversations written. */
export async function writeXlsx(
  rows: AsyncIterable<SearchResultItem>,
  out: Writable,
  progress: { rows: number },
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const conversations = workbook.addWorksheet(XLSX_SHEETS.conversations, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  conversations.columns = CONVERSATION_COLUMNS;
  const utterances = workbook.addWorksheet(XLSX_SHEETS.utterances, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  utterances.columns = UTTERANCE_COLUMNS;
  for (const sheet of [conversations, utterances]) {
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
  }
  for await (const item of rows) {
    if (out.destroyed) break;
    const c = conversationCells(item);
    conversations
      .addRow([
        item.id,
        excelTime(item.startedAt),
        c.channel,
        c.agent,
        c.customer,
        c.complaint,
        c.complaintCategories,
        c.escalation,
        c.competitors,
        c.switching,
        c.needs,
        c.lifeEvents,
        c.sentiment,
        item.utteranceCount,
        item.highlights.length,
      ])
      .commit();
    for (const h of item.highlights) {
      utterances
        .addRow([item.id, h.utterance + 1, SPEAKER_NAMES[h.speaker] ?? h.speaker, redactStrings(h.text)])
        .commit();
    }
    progress.rows++;
  }
  if (out.destroyed) return; // the client went away: the workbook is abandoned, not finished
  conversations.commit();
  utterances.commit();
  // commit() waits for the stream to finish, which a destroyed stream never does.
  await Promise.race([workbook.commit(), once(out, 'close')]);
}

/**
 * An Excel date shows the wall-clock time it was given, with no time zone: the instant is shifted
 * to China Standard Time so the cell reads as Beijing time. A value that is not a time stays text.
 */
function excelTime(iso: string): Date | string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3600_000);
}
