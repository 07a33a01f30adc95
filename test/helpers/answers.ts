/** What the end-to-end tests share about a client's answers and the calendar. */

/** PAR-Q+ page 1, every question answered no. */
export const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };

/** The local date `n` days before today, as YYYY-MM-DD (the CLI's "today" is the local day). */
export function day(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
