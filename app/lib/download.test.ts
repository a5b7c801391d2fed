import { describe, expect, it } from "vitest";
import { contentDisposition } from "./download";

describe("contentDisposition", () => {
  it("keeps an ASCII name and encodes it again as filename*", () => {
    expect(contentDisposition("notes.pdf")).toBe(`attachment; filename="notes.pdf"; filename*=UTF-8''notes.pdf`);
  });

  it("encodes a Chinese name per RFC 5987 with an ASCII fallback", () => {
    expect(contentDisposition("谈话记录(1).pdf")).toBe(
      `attachment; filename="____(1).pdf"; filename*=UTF-8''%E8%B0%88%E8%AF%9D%E8%AE%B0%E5%BD%95%281%29.pdf`,
    );
  });

  it("cannot be broken out of: quotes, semicolons and line breaks are neutralised", () => {
    const header = contentDisposition('a";\r\nSet-Cookie: x=1;.txt');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.split('"').length).toBe(3);
    expect(header).toContain("filename*=UTF-8''a%22%3B%0D%0ASet-Cookie%3A%20x%3D1%3B.txt");
  });
});
