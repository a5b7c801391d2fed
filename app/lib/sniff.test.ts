import { describe, expect, it } from "vitest";
import { isPlainText, sniffContentType, zipEntryNames } from "./sniff";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

/** A minimal ZIP (stored entries, no compression) with a real central directory. */
function zip(entries: Record<string, string>): Uint8Array {
  const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
  const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  const local: number[] = [];
  const central: number[] = [];
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = [...Buffer.from(name, "utf8")];
    const data = [...Buffer.from(content, "utf8")];
    const offset = local.length;
    local.push(...le32(0x04034b50), ...le16(20), ...le16(0), ...le16(0), ...le16(0), ...le16(0), ...le32(0),
      ...le32(data.length), ...le32(data.length), ...le16(nameBytes.length), ...le16(0), ...nameBytes, ...data);
    central.push(...le32(0x02014b50), ...le16(20), ...le16(20), ...le16(0), ...le16(0), ...le16(0), ...le16(0),
      ...le32(0), ...le32(data.length), ...le32(data.length), ...le16(nameBytes.length), ...le16(0), ...le16(0),
      ...le16(0), ...le16(0), ...le32(0), ...le32(offset), ...nameBytes);
  }
  const count = Object.keys(entries).length;
  const eocd = [...le32(0x06054b50), ...le16(0), ...le16(0), ...le16(count), ...le16(count),
    ...le32(central.length), ...le32(local.length), ...le16(0)];
  return new Uint8Array([...local, ...central, ...eocd]);
}

const types = '<?xml version="1.0"?><Types/>';

describe("sniffContentType", () => {
  it("recognises PDF, PNG and JPEG by their signatures", () => {
    expect(sniffContentType(bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))).toBe("application/pdf");
    expect(sniffContentType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe("image/png");
    expect(sniffContentType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]))).toBe("image/jpeg");
  });

  it("tells DOCX from XLSX by the entries of the ZIP", () => {
    expect(sniffContentType(zip({ "[Content_Types].xml": types, "word/document.xml": "<w/>" }))).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(sniffContentType(zip({ "[Content_Types].xml": types, "xl/workbook.xml": "<x/>" }))).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
  });

  it("refuses other ZIPs: a plain archive, one without [Content_Types].xml, one with macros, a truncated one", () => {
    expect(sniffContentType(zip({ "readme.txt": "hello" }))).toBeNull();
    expect(sniffContentType(zip({ "word/document.xml": "<w/>" }))).toBeNull();
    expect(sniffContentType(zip({ "[Content_Types].xml": types, "word/document.xml": "<w/>", "word/vbaProject.bin": "x" }))).toBeNull();
    const whole = zip({ "[Content_Types].xml": types, "word/document.xml": "<w/>" });
    expect(sniffContentType(whole.subarray(0, whole.length - 30))).toBeNull();
  });

  it("accepts UTF-8 text, Chinese included, and refuses binary or other encodings", () => {
    expect(sniffContentType(new TextEncoder().encode("谈话提纲\r\n一、基本情况\t（略）\n"))).toBe("text/plain");
    expect(sniffContentType(bytes([0xef, 0xbb, 0xbf], "plain"))).toBe("text/plain");
    // GBK bytes for 巡察 are not valid UTF-8.
    expect(sniffContentType(bytes([0xd1, 0xb2, 0xb2, 0xec]))).toBeNull();
    expect(sniffContentType(bytes("abc", [0], "def"))).toBeNull();
    expect(sniffContentType(new Uint8Array())).toBeNull();
  });

  it("ignores the name: an executable called .pdf is refused, a PDF called .txt is a PDF", () => {
    const exe = bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff], "This program cannot be run in DOS mode");
    expect(sniffContentType(exe)).toBeNull();
    expect(sniffContentType(bytes("\x7fELF", [2, 1, 1, 0]))).toBeNull();
    expect(sniffContentType(bytes("%PDF-1.4"))).toBe("application/pdf");
    // Leading bytes before a signature do not count (HTML or script with a PDF inside).
    expect(sniffContentType(bytes("<html>%PDF-1.4"))).toBe("text/plain");
    expect(sniffContentType(bytes(" %PDF-1.4"))).toBe("text/plain");
  });
});

describe("helpers", () => {
  it("lists a ZIP's entries from its central directory", () => {
    expect(zipEntryNames(zip({ "a.txt": "1", "目录/b.xml": "2" }))).toEqual(["a.txt", "目录/b.xml"]);
    expect(zipEntryNames(bytes("PK\x03\x04 not really"))).toBeNull();
  });

  it("treats control characters other than tab and line breaks as binary", () => {
    expect(isPlainText(bytes("a\tb\nc\rd\fe"))).toBe(true);
    expect(isPlainText(bytes("a\x1bb"))).toBe(false);
  });
});
