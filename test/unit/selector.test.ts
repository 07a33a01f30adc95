import { describe, expect, it } from 'vitest';
import { foldName, isIdSelector, selectByName } from '../../src/domain/selector.js';

const clients = [
  { id: 1, firstName: 'Ana', lastName: 'Silva' },
  { id: 2, firstName: 'Anabel', lastName: 'Ortiz' },
  { id: 3, firstName: 'Zoë', lastName: 'Moreau' },
  { id: 4, firstName: 'Łukasz', lastName: 'Nowak' },
  { id: 5, firstName: '娜', lastName: '李' },
  { id: 6, firstName: 'عائشة', lastName: 'الحسن' },
  { id: 7, firstName: 'Marie', lastName: 'Moreau' },
];

const pick = (fragment: string) => selectByName(fragment, clients);

describe('client selector', () => {
  it('tells ids from names', () => {
    expect(isIdSelector('12')).toBe(true);
    expect(isIdSelector('ana')).toBe(false);
    expect(isIdSelector('12a')).toBe(false);
  });

  it('folds case and accents, including letters that do not decompose', () => {
    expect(foldName('ZOË')).toBe('zoe');
    expect(foldName('Łukasz')).toBe('lukasz');
    expect(foldName('  Ana   Silva ')).toBe('ana silva');
  });

  it('finds a client from an accent-free fragment', () => {
    expect(pick('zoe')).toEqual({ kind: 'found', client: clients[2] });
    expect(pick('lukasz')).toEqual({ kind: 'found', client: clients[3] });
    expect(pick('NOWAK')).toEqual({ kind: 'found', client: clients[3] });
  });

  it('finds names in other scripts, as written', () => {
    expect(pick('李娜')).toEqual({ kind: 'found', client: clients[4] });
    expect(pick('李')).toEqual({ kind: 'found', client: clients[4] });
    expect(pick('عائشة')).toEqual({ kind: 'found', client: clients[5] });
  });

  it('prefers a whole-word match over a prefix ("ana" is Ana, not Anabel)', () => {
    expect(pick('ana')).toEqual({ kind: 'found', client: clients[0] });
    expect(pick('anab')).toEqual({ kind: 'found', client: clients[1] });
  });

  it('reports every match when a fragment fits several clients', () => {
    const r = pick('moreau');
    expect(r.kind).toBe('ambiguous');
    expect(r.kind === 'ambiguous' && r.matches.map((c) => c.id)).toEqual([3, 7]);
    expect(pick('zoe moreau')).toEqual({ kind: 'found', client: clients[2] });
  });

  it('finds nothing for a blank or unknown fragment', () => {
    expect(pick('   ')).toEqual({ kind: 'none' });
    expect(pick('nobody')).toEqual({ kind: 'none' });
  });
});
