import { Link } from "@remix-run/react";
import { Card, Flex, Heading, Text } from "@radix-ui/themes";

/** Which of an engagement's later-stage pages the user may open (decided by the loader). */
export interface EngagementSectionFlags {
  papers: boolean;
  problems: boolean;
  leads: boolean;
  feedback: boolean;
  rectification: boolean;
  evaluation: boolean;
}

const sections: { key: keyof EngagementSectionFlags; label: string; hint: string; href: (id: number) => string }[] = [
  { key: "papers", label: "问题底稿", hint: "起草、审核（承办人→副组长→组长→组务会）", href: (id) => `/engagements/${id}/papers` },
  { key: "problems", label: "问题清单与报告", hint: "问题清单、巡察情况报告、反馈意见", href: (id) => `/engagements/${id}/problems` },
  { key: "leads", label: "问题线索", hint: "登记、移交、处置反馈", href: (id) => `/engagements/${id}/leads` },
  { key: "feedback", label: "巡察反馈", hint: "反馈情况与反馈问题", href: (id) => `/engagements/${id}/feedback` },
  { key: "rectification", label: "整改落实", hint: "整改方案、四个清单、进展、销号", href: (id) => `/rectification/${id}` },
  { key: "evaluation", label: "整改成效评估", hint: "反馈六个月后评估", href: (id) => `/engagements/${id}/evaluation` },
];

/** The "后半篇文章" of an engagement: findings, leads, feedback, rectification, evaluation. */
export function EngagementSections({ engagementId, flags }: { engagementId: number; flags: EngagementSectionFlags }) {
  const shown = sections.filter((s) => flags[s.key]);
  if (shown.length === 0) return null;
  return (
    <Card size="2" mb="4" data-testid="engagement-sections">
      <Heading as="h2" size="3" mb="3">巡察成果与整改</Heading>
      <Flex gap="3" wrap="wrap">
        {shown.map((s) => (
          <Link key={s.key} to={s.href(engagementId)} className="section-link" data-testid={`section-${s.key}`}>
            <Text as="div" weight="bold">{s.label}</Text>
            <Text as="div" size="1" color="gray">{s.hint}</Text>
          </Link>
        ))}
      </Flex>
    </Card>
  );
}
