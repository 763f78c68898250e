/** CSV writing (tables with a header row) and reading (one profile per file) for exports and imports. */

export function toCsv(header: readonly string[], rows: readonly (readonly (number | string)[])[]): string {
  const cell = (v: number | string) =>
    typeof v === 'number'
      ? Number.isFinite(v)
        ? String(v)
        : ''
      : /[",\n]/.test(v)
        ? `"${v.replace(/"/g, '""')}"`
        : v;
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/**
 * Read one profile: either one number per line, or columns with a header where a column named like the field
 * (or the last column) holds the values. Returns the values; throws with the line that is wrong.
 */
export function readProfileCsv(text: string, field: string): number[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) throw new Error('the CSV file is empty');
  const split = (l: string) => l.split(/[,;\t]/).map((s) => s.trim());
  const first = split(lines[0]!);
  const hasHeader = first.some((c) => c !== '' && Number.isNaN(Number(c)));
  const col = hasHeader
    ? Math.max(
        first.findIndex((c) => c.toLowerCase() === field.toLowerCase()),
        -1,
      )
    : -1;
  const column = col >= 0 ? col : first.length - 1;
  const body = hasHeader ? lines.slice(1) : lines;
  if (body.length < 3) throw new Error(`the CSV holds ${body.length} value(s); a profile needs at least 3`);
  return body.map((l, i) => {
    const v = Number(split(l)[column]);
    if (!Number.isFinite(v))
      throw new Error(`line ${i + (hasHeader ? 2 : 1)}: "${l}" has no number in column ${column + 1}`);
    return v;
  });
}
