import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/cli/csv.js';
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
});

describe('printable: nothing from a record reaches the terminal as a control character', () => {
  it('escapes ESC sequences other than colour, CR, BEL; keeps tab, newline and SGR colour', () => {
    expect(printable('a\u001b[2Jb\rc\u0007')).toBe('a\\u001b[2Jb\\u000dc\\u0007');
    expect(printable('\u001b[31mred\u001b[39m\tok\n')).toBe('\u001b[31mred\u001b[39m\tok\n');
  });
});
