import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat } from '../../../src/ingest/detect.js';
import type { FormatId } from '../../../src/ingest/formats/index.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/formats');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

describe('detectFormat', () => {
  const fixtures: [string, FormatId][] = [
    ['native.json', 'native-json'],
    ['native.ndjson', 'native-ndjson'],
    ['call-transcript.txt', 'text'],
    ['aliyun-filetrans.json', 'aliyun'],
    ['iflytek-lfasr.json', 'iflytek'],
    ['tencent-rec-task.json', 'tencent'],
    ['aws-transcribe.json', 'aws-transcribe'],
    ['whisperx.json', 'whisper'],
    ['call.vtt', 'webvtt'],
    ['call.srt', 'srt'],
    ['chat-sessions.json', 'chat-json'],
  ];

  it('recognises every fixture by its name', () => {
    for (const [name, format] of fixtures) assert.equal(detectFormat(read(name), name), format, name);
  });

  it('recognises every fixture by its content alone', () => {
    for (const [name, format] of fixtures) assert.equal(detectFormat(read(name)), format, name);
  });

  it('trusts the extension first', () => {
    assert.equal(detectFormat('{"segments": []}', 'x.ndjson'), 'native-ndjson');
    assert.equal(detectFormat('anything', 'chats.CSV'), 'chat-csv');
    assert.equal(detectFormat('WEBVTT\n\n00:01.000 --> 00:02.000\n坐席：您好', 'captions.txt'), 'webvtt');
    assert.equal(detectFormat('no speakers here', 'notes.txt'), 'text');
  });

  it('sniffs chat CSV headers, NDJSON and chat message arrays', () => {
    assert.equal(detectFormat('会话ID,时间,发送方,内容\nS1,2026-11-01 10:00:00,客户,你好'), 'chat-csv');
    assert.equal(detectFormat('{"id":"a","utterances":[]}\n{"id":"b","utterances":[]}'), 'native-ndjson');
    assert.equal(detectFormat('[{"sessionId":"S","sender":"客户","content":"你好"}]'), 'chat-json');
    assert.equal(detectFormat('[{"start":0,"end":1,"text":"您好","speaker":"A"}]'), 'whisper');
  });

  it('gives up on content it does not know', () => {
    for (const text of ['hello world', '{"foo": 1}', '[1, 2]', '{not json', ''])
      assert.equal(detectFormat(text), undefined, text);
  });
});
