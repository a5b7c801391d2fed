import {
  AlignmentType,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type IRunOptions,
} from "docx";

/**
 * Layout of a Chinese official document (党政机关公文, after GB/T 9704): A4 with the
 * standard margins, the title in 二号 小标宋 (SimSun bold stands in for 方正小标宋, which
 * Word substitutes when it is installed under that family), the body in 三号 仿宋 on a
 * fixed 28 pt line with a two-character first-line indent, headings 一、 in 黑体, （一）
 * in 楷体, 1. in bold 仿宋, the issuer and the date right-aligned at the end, and page
 * numbers "— 1 —" at the foot. Numbering is written as text (not Word list numbering),
 * so the document reads the same in every word processor and in its XML.
 */

/** Half-points, as docx sizes are given: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
const SIZE = { title: 44, body: 32, footer: 28 } as const;
/** Twips: 1 cm = 567; 1 pt = 20. */
const CM = 567;
const LINE = 28 * 20;
/** Two characters of 三号 (16 pt). */
const INDENT = 2 * 16 * 20;

type FontName = "SimSun" | "FangSong" | "SimHei" | "KaiTi";
const font = (eastAsia: FontName): IRunOptions["font"] => ({
  // Digits and Latin letters in Times New Roman, as official documents set them.
  ascii: "Times New Roman",
  hAnsi: "Times New Roman",
  eastAsia,
  cs: eastAsia,
});
const lang = { value: "zh-CN", eastAsia: "zh-CN" };

const run = (text: string, face: FontName, extra: Partial<IRunOptions> = {}) =>
  new TextRun({ text, font: font(face), size: SIZE.body, language: lang, ...extra });

const ZH_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never run past that). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return ZH_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : ZH_DIGITS[tens]}十${ones ? ZH_DIGITS[ones] : ""}`;
}

/** The date line of a document: 2026年11月21日 (Beijing time for a timestamp). */
export function chineseDate(value: Date | string): string {
  const iso = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? value
    : new Date(new Date(value).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** The three heading levels' labels: 一、 （一） 1. */
export const headingLabel = {
  h1: (n: number) => `${chineseNumeral(n)}、`,
  h2: (n: number) => `（${chineseNumeral(n)}）`,
  h3: (n: number) => `${n}.`,
};

export type Block =
  | { kind: "h1" | "h2"; text: string }
  /** A numbered item: its label and lead sentence in bold, then the text. */
  | { kind: "item"; lead: string; text?: string }
  | { kind: "p"; text: string };

/**
 * Numbers the headings as they are added: 一、 resets （一）, （一） resets 1.
 * `blocks` is what renderOfficialDocx takes.
 */
export class Outline {
  readonly blocks: Block[] = [];
  private counters = [0, 0, 0];

  h1(text: string): this {
    this.counters = [this.counters[0] + 1, 0, 0];
    this.blocks.push({ kind: "h1", text: `${headingLabel.h1(this.counters[0])}${text}` });
    return this;
  }

  h2(text: string): this {
    this.counters = [this.counters[0], this.counters[1] + 1, 0];
    this.blocks.push({ kind: "h2", text: `${headingLabel.h2(this.counters[1])}${text}` });
    return this;
  }

  item(lead: string, text?: string): this {
    this.counters[2] += 1;
    this.blocks.push({ kind: "item", lead: `${headingLabel.h3(this.counters[2])}${lead}`, text });
    return this;
  }

  p(text: string): this {
    this.blocks.push({ kind: "p", text });
    return this;
  }
}

export interface OfficialDocument {
  title: string;
  /** 主送机关, without the colon. */
  mainRecipients: string;
  blocks: Block[];
  /** 发文机关署名. */
  issuer: string;
  date: Date | string;
  /** Shown under the title in 楷体, e.g. （代拟稿）. */
  subtitle?: string;
}

const bodyParagraph = (children: TextRun[], indent = true, keepNext = false) =>
  new Paragraph({
    children,
    // A heading stays on the page of what it heads.
    keepNext,
    alignment: AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    indent: indent ? { firstLine: INDENT } : undefined,
  });

function render(block: Block): Paragraph {
  switch (block.kind) {
    case "h1":
      return bodyParagraph([run(block.text, "SimHei")], true, true);
    case "h2":
      return bodyParagraph([run(block.text, "KaiTi")], true, true);
    case "item":
      return bodyParagraph([run(block.lead, "FangSong", { bold: true }), ...(block.text ? [run(block.text, "FangSong")] : [])]);
    case "p":
      return bodyParagraph([run(block.text, "FangSong")]);
  }
}

/** The document as .docx bytes. */
export async function renderOfficialDocx(doc: OfficialDocument): Promise<Buffer> {
  const children: Paragraph[] = [
    // Two blank lines above the title, as the red-header area would leave.
    new Paragraph({ spacing: { line: LINE, lineRule: LineRuleType.EXACT }, children: [] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 35 * 20, lineRule: LineRuleType.EXACT, after: doc.subtitle ? 0 : LINE },
      children: [new TextRun({ text: doc.title, font: font("SimSun"), size: SIZE.title, bold: true, language: lang })],
    }),
  ];
  if (doc.subtitle) {
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: LINE, lineRule: LineRuleType.EXACT, after: LINE },
        children: [run(doc.subtitle, "KaiTi")],
      }),
    );
  }
  children.push(bodyParagraph([run(`${doc.mainRecipients}：`, "FangSong")], false));
  children.push(...doc.blocks.map(render));
  // A blank line, then the issuer and the date, right-aligned (four characters in from the margin).
  children.push(new Paragraph({ spacing: { line: LINE, lineRule: LineRuleType.EXACT }, children: [] }));
  for (const text of [doc.issuer, chineseDate(doc.date)]) {
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        indent: { right: 2 * INDENT },
        spacing: { line: LINE, lineRule: LineRuleType.EXACT },
        children: [run(text, "FangSong")],
      }),
    );
  }
  const document = new Document({
    creator: "巡联",
    title: doc.title,
    styles: { default: { document: { run: { font: font("FangSong"), size: SIZE.body, language: lang } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(21 * CM), height: Math.round(29.7 * CM) },
            margin: { top: Math.round(3.7 * CM), bottom: Math.round(3.5 * CM), left: Math.round(2.8 * CM), right: Math.round(2.6 * CM) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ["— ", PageNumber.CURRENT, " —"], font: font("SimSun"), size: SIZE.footer }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
