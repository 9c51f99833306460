/**
 * File names for the generated data: mostly ordinary ("report-0042.pdf"), plus names that break
 * naive CSV writers, spreadsheets and terminals. Every nasty name appears at least once in a
 * dataset that has enough files, so the report's encoders are exercised on every run.
 */
import { AsciiWriter } from './ascii';
import type { Random } from './random';

/** Names that need quoting, escaping or formula-injection protection somewhere downstream. */
export const NASTY_FILE_NAMES: readonly string[] = [
  'Résumé ✓ 日本語.pdf',
  'party 🎉📄 notes.txt',
  'family 👩‍👩‍👧 photo.png',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters.txt',
  'comma, separated, name.csv',
  'quote "inside" name.pdf',
  "O'Brien's notes.md",
  'line\nbreak.txt',
  'windows\r\nline break.txt',
  'tab\tseparated.tsv',
  '=SUM(A1:A9).xlsx',
  '=HYPERLINK("https://example.invalid","click me").csv',
  '+1 555 0100.txt',
  '-minus-first.txt',
  '@mention.docx',
  ' leading and trailing spaces .txt ',
  'combining e\u0301 accent.txt',
  'zero\u200bwidth.txt',
  'تقرير سنوي.pdf',
  `very-long-${'x'.repeat(240)}.pdf`,
];

const writer = new AsciiWriter();
const STEMS = ['report', 'invoice', 'contract', 'notes', 'slides', 'scan', 'manual', 'data', 'memo', 'faq'];
const EXTENSIONS = ['pdf', 'pdf', 'pdf', 'docx', 'txt', 'md', 'pptx', 'csv', 'html', 'png'];

/** An ordinary name such as "report-0042.pdf" (names may repeat, as real uploads do). */
export function ordinaryFileName(random: Random): string {
  const stem = random.pick(STEMS);
  const number = random.int(0, 9999);
  return writer
    .reset()
    .text(stem)
    .text('-')
    .digits(number, 4)
    .text('.')
    .text(random.pick(EXTENSIONS))
    .toString();
}
