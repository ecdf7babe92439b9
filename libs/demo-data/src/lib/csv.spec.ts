import { csvColumns, type ApplicationRecord, type InterviewScoreRecord } from '@hiresignal/shared';
import { csvChunks, csvField, csvLines, toCsv } from './csv';

/** A strict RFC 4180 reader, independent of the writer, to check the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      if (ch === '"' || ch === '\r' || ch === '\n') throw new Error(`unquoted ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('last line lacks CRLF');
  return rows;
}

const tricky = [
  'plain',
  'comma, inside',
  'say "hi"',
  '"',
  'line\nbreak',
  'carriage\rreturn',
  'windows\r\nbreak',
  '  padded  ',
  'Zoë 🚀 naïve',
  "semi;colon and 'single'",
];

function application(index: number, title: string | undefined): ApplicationRecord {
  return {
    applicationId: `app-${index}`,
    candidateId: `cand-${index}`,
    jobId: 'req-ai-101',
    jobTitle: title,
    department: undefined,
    source: 'referral',
    appliedAt: '2025-01-02T15:00:00Z',
    status: 'rejected',
    decidedAt: undefined,
    hiredAt: undefined,
    rejectionReason: title === undefined ? undefined : `${title}, again`,
  };
}

describe('toCsv', () => {
  it('writes the canonical snake_case header in csvColumns order', () => {
    const text = toCsv('interview_scores', []);
    expect(text).toBe(
      `${csvColumns('interview_scores')
        .map((c) => c.column)
        .join(',')}\r\n`,
    );
    expect(
      text.startsWith('application_id,interview_id,interviewer_id,criterion,score,stage,interviewed_at'),
    ).toBe(true);
  });

  it('round-trips tricky values through RFC 4180 quoting and leaves undefined cells empty', () => {
    const records = [...tricky.map((t, i) => application(i, t)), application(99, undefined)];
    const rows = parseCsv(toCsv('applications', records));
    const header = rows[0];
    expect(header).toEqual(csvColumns('applications').map((c) => c.column));
    const col = (name: string) => header.indexOf(name);
    tricky.forEach((t, i) => {
      expect(rows[i + 1][col('job_title')]).toBe(t);
      expect(rows[i + 1][col('rejection_reason')]).toBe(`${t}, again`);
      expect(rows[i + 1][col('department')]).toBe('');
    });
    const last = rows[rows.length - 1];
    expect(last[col('job_title')]).toBe('');
    expect(last[col('application_id')]).toBe('app-99');
    expect(rows.every((r) => r.length === header.length)).toBe(true);
  });

  it('splits chunks only between rows, so multi-byte characters survive tiny chunks', () => {
    const records = tricky.map((t, i) => application(i, `${t} ✓`));
    const chunks = [...csvChunks('applications', records, 1)];
    expect(chunks).toHaveLength(records.length);
    expect(chunks.every((c) => c.toString('utf8').endsWith('\r\n'))).toBe(true);
    expect(chunks.map((c) => c.toString('utf8')).join('')).toBe(toCsv('applications', records));
    expect([...csvLines('applications', records)].join('')).toBe(toCsv('applications', records));
  });

  it('writes numbers as JavaScript prints them', () => {
    const review = (rating: number) => ({
      applicationId: 'a',
      reviewDate: '2025-01-01',
      rating,
      scaleMax: 5,
    });
    const rows = parseCsv(toCsv('performance_reviews', [0, 7, 10, 4.5, -3, 123456789012, 1e21].map(review)));
    expect(rows.slice(1).map((r) => r[2])).toEqual(['0', '7', '10', '4.5', '-3', '123456789012', '1e+21']);
    expect(rows[1]).toEqual(['a', '2025-01-01', '0', '', '5']);
  });

  it('quotes only when needed', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(3)).toBe('3');
    expect(csvField(2.5)).toBe('2.5');
    expect(csvField(undefined)).toBe('');
  });

  it('gives the same text as csvLines and csvChunks', () => {
    const records: InterviewScoreRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      applicationId: `app-${i}`,
      interviewId: `iv-${i}`,
      interviewerId: 'int-001',
      criterion: 'fundamentals',
      score: (i % 4) + 1,
      stage: i % 7 === 0 ? 'system, design' : 'system_design',
      interviewedAt: '2025-01-02T15:00:00Z',
      rubric: 'AI Engineer',
      rubricVersion: 1,
      recommendation: i % 2 === 0 ? 'yes' : undefined,
    }));
    const whole = toCsv('interview_scores', records);
    expect([...csvLines('interview_scores', records)].join('')).toBe(whole);
    const chunks = [...csvChunks('interview_scores', records, 4096)];
    expect(chunks.length).toBeGreaterThan(5);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole);
    expect(Buffer.concat([...csvChunks('interview_scores', [])]).toString('utf8')).toBe(
      toCsv('interview_scores', []),
    );
  });
});
