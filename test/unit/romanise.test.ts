/** Report file names in Latin letters whatever the script (issue 17): 李娜 → 0003-li-na-report.pdf, not 0003-client.pdf. */
import { describe, expect, it } from 'vitest';
import { clientReportFile, romanName } from '../../src/app/romanise.js';

const file = (id: number, firstName: string, lastName: string, suffix = '-report') => clientReportFile({ id, firstName, lastName }, suffix);

describe('report file names in Latin letters', () => {
  it('romanises Chinese by pinyin, family name first and read as a family name', () => {
    expect(file(3, '娜', '李')).toBe('0003-li-na-report.pdf');
    // 单 and 曾 as family names are Shan and Zeng, not Dan and Ceng.
    expect(romanName('田芳', '单')).toBe('shan tian fang');
    expect(romanName('国藩', '曾')).toBe('zeng guo fan');
  });

  it('keeps Latin names, marks dropped', () => {
    expect(file(1, 'Zoë', 'Moreau')).toBe('0001-zoe-moreau-report.pdf');
    expect(file(2, 'Łukasz', 'Nowak', '-handout')).toBe('0002-lukasz-nowak-handout.pdf');
    expect(file(5, 'Margaret', "O'Brien", '')).toBe('0005-margaret-obrien.pdf');
    expect(file(6, 'Søren', 'Ærø')).toBe('0006-soren-aero-report.pdf');
  });

  it('romanises Greek, Cyrillic, Japanese kana and Korean Hangul, East Asian names family name first', () => {
    expect(file(7, 'Αλέξανδρος', 'Παπαδόπουλος')).toBe('0007-alexandros-papadopoulos-report.pdf');
    expect(file(8, 'Ирина', 'Смирнова')).toBe('0008-irina-smirnova-report.pdf');
    expect(file(9, 'はなこ', 'さとう')).toBe('0009-satou-hanako-report.pdf');
    expect(file(10, '민준', '김')).toBe('0010-gim-minjun-report.pdf');
    // A given name in Chinese with a family name in Latin letters keeps the given name first.
    expect(file(11, '娜', 'Moreau')).toBe('0011-na-moreau-report.pdf');
  });

  it('romanises Arabic by its written letters, the article as al-', () => {
    expect(file(4, 'عائشة', 'الحسن')).toBe('0004-aisha-al-hsn-report.pdf');
    expect(romanName('محمد', 'الشريف')).toBe('mhmd al-shryf');
  });

  it('gives every script some Latin letters, never the bare "client"', () => {
    for (const [first, last] of [['عائشة', 'الحسن'], ['יוסי', 'כהן'], ['สมชาย', 'ใจดี']]) {
      const name = file(4, first!, last!);
      expect(name, `${first} ${last}`).toMatch(/^0004-[a-z0-9]+(-[a-z0-9]+)*-report\.pdf$/);
      expect(name).not.toBe('0004-client-report.pdf');
    }
  });
});
