import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvCell, toCsv, toTsv, tsvCell } from '../../src/cli/csv.js';
import { printable } from '../../src/cli/io.js';

describe('csvCell: OWASP CSV injection', () => {
  it.each(['=1+1', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'])('%j starts with an apostrophe', (v) => expect(csvCell(v)).toBe(`'${v}`));
  it('leaves other text, numbers and empty values as they are', () => {
    expect(csvCell('Zoë Moreau')).toBe('Zoë Moreau');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
  it('the document quotes what needs it', async () => {
    expect(await toCsv(['a', 'b'], [['=x,y', 2]])).toBe('a,b\n"\'=x,y",2\n');
  });
  it('writes true and false as words, and a note with a newline and a quote reads back as it was', async () => {
    const text = await toCsv(['a', 'b', 'c'], [[true, 'line one\nsaid "two"', false]]);
    expect(parse(text, { columns: true })).toEqual([{ a: 'true', b: 'line one\nsaid "two"', c: 'false' }]);
  });
});

describe('TSV: one record a line, tabs and newlines escaped, formulas defused', () => {
  it('escapes backslash, tab, newline and carriage return inside a cell', () => {
    expect(tsvCell('a\tb')).toBe('a\\tb');
    expect(tsvCell('one\ttwo\nthree\r')).toBe('one\\ttwo\\nthree\\r');
    expect(tsvCell('C:\\notes')).toBe('C:\\\\notes');
  });
  it.each(['=1+1', '+44 20 7946 0000', '-1', '@SUM(A1)'])('%j starts with an apostrophe, as in CSV', (v) => expect(tsvCell(v)).toBe(`'${v}`));
  it('a cell that starts with a tab is defused, then its tab escaped', () => expect(tsvCell('\t=x')).toBe("'\\t=x"));
  it('numbers, booleans and no value', () => {
    expect(tsvCell(-3)).toBe('-3');
    expect(tsvCell(false)).toBe('false');
    expect(tsvCell(undefined)).toBe('');
  });
  it('the document: a header line, then one line per record with as many cells', () => {
    const text = toTsv(['id', 'notes', 'n'], [[1, 'knee\tsore\nbetter', null], [2, '=HYPERLINK("x")', 0]]);
    expect(text).toBe("id\tnotes\tn\n1\tknee\\tsore\\nbetter\t\n2\t'=HYPERLINK(\"x\")\t0\n");
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.split('\t')).toHaveLength(3);
  });
  it('an empty list is the header alone', () => expect(toTsv(['a', 'b'], [])).toBe('a\tb\n'));
});

describe('printable: nothing from a record reaches the terminal as a control character', () => {
  it('escapes ESC sequences other than colour, CR, BEL; keeps tab, newline and SGR colour', () => {
    expect(printable('a\u001b[2Jb\rc\u0007')).toBe('a\\u001b[2Jb\\u000dc\\u0007');
    expect(printable('\u001b[31mred\u001b[39m\tok\n')).toBe('\u001b[31mred\u001b[39m\tok\n');
  });
});
