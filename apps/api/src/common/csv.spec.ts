import { csvCell, csvRow } from './csv';

describe('CSV cells for spreadsheets', () => {
  it('neutralises every text that a spreadsheet would evaluate (OWASP CSV injection list)', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe('"\'\tcmd"');
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it('leaves ordinary text and numbers as they are, negative numbers included', () => {
    expect(csvCell('Dana Lee')).toBe('Dana Lee');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
  });

  it('quotes per RFC 4180: commas, quotes, line breaks, and edge spaces', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', ' pad'])).toBe(
      '"a,b","say ""hi""","two\nlines"," pad"\r\n',
    );
  });
});
