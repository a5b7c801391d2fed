import { Link } from "@remix-run/react";
import { Badge, Table, Text } from "@radix-ui/themes";
import { findingsText } from "~/lib/messages/findings";
import type { CategoryCount, ProblemRow } from "~/models/findings.server";
import { DataTable } from "./data-table";
import { disciplineFormText, OnTheSpotBadge, SeverityBadge } from "./findings-badges";

const t = findingsText.problems;

/** Problems counted by top category, with the 立行立改 among them. */
export function CategoryCountTable({ counts }: { counts: CategoryCount[] }) {
  return (
    <DataTable label={t.byCategory} columns={[{ label: t.category }, { label: t.countLabel, align: "end" }, { label: t.onTheSpotCount, align: "end" }]}>
      {counts.map((c) => (
        <Table.Row key={c.topCategoryId} data-testid="category-count">
          <Table.RowHeaderCell>{c.name}</Table.RowHeaderCell>
          <Table.Cell justify="end" data-testid="category-count-value">{c.count}</Table.Cell>
          <Table.Cell justify="end">{c.onTheSpot}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** The problem list: number, problem, category, severity, 四种形态, 立行立改, fed back. */
export function ProblemTable({ problems, linkPapers }: { problems: ProblemRow[]; linkPapers: boolean }) {
  return (
    <DataTable
      label={t.title}
      columns={[
        { label: t.seq }, { label: t.name }, { label: t.category }, { label: t.severity }, { label: t.disciplineForm },
        { label: t.onTheSpot }, { label: t.fedBack },
      ]}
    >
      {problems.map((p) => (
        <Table.Row key={p.id} data-testid="problem-row">
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{`第 ${p.seq} 号`}</Table.Cell>
          <Table.RowHeaderCell style={{ maxWidth: 420 }}>
            {linkPapers ? <Link className="table-link" to={`/papers/${p.workingPaperId}`}>{p.title}</Link> : p.title}
            <Text as="div" size="1" color="gray" style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{p.description}</Text>
          </Table.RowHeaderCell>
          <Table.Cell>
            {p.topCategoryName ?? "—"}
            {p.categoryName && p.categoryName !== p.topCategoryName ? <Text as="div" size="1" color="gray">{p.categoryName}</Text> : null}
          </Table.Cell>
          <Table.Cell><SeverityBadge severity={p.severity} /></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{disciplineFormText(p.disciplineForm)}</Table.Cell>
          <Table.Cell><OnTheSpotBadge value={p.onTheSpot} /></Table.Cell>
          <Table.Cell>{p.fedBack ? <Badge color="violet" variant="soft">{t.fedBackYes}</Badge> : <Text color="gray">{t.fedBackNo}</Text>}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
