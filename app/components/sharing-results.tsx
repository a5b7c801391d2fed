import { Link } from "@remix-run/react";
import { Badge, Table, Text } from "@radix-ui/themes";
import { sharingText as t } from "~/lib/messages/sharing";
import type { GrantScope } from "~/lib/schemas/sharing";
import type { SharedFigures, SharedItem, SharedProblem } from "~/models/sharing.server";
import { DataTable } from "./data-table";
import { disciplineFormText, OnTheSpotBadge, SeverityBadge } from "./findings-badges";
import { ItemStatusBadge, KindBadge } from "./rectification-badges";
import { ScopeBadge, when } from "./sharing-grants";

/** What the partner's org may read now, one row per grant. */
export function SharedGrantTable({
  grants,
}: {
  grants: { id: number; scope: GrantScope; officeName: string; subject: string; expiresOn: string; grantedAt: Date | string; note: string | null }[];
}) {
  return (
    <DataTable
      label={t.sharedTitle}
      columns={[{ label: t.colSubject }, { label: t.colScope }, { label: t.colFrom }, { label: t.colGrantedAt }, { label: t.colExpires }, { label: t.colNote }]}
    >
      {grants.map((g) => (
        <Table.Row key={g.id} data-testid="shared-row">
          <Table.RowHeaderCell>
            <Link className="table-link" to={`/shared/${g.id}`}>{g.subject}</Link>
          </Table.RowHeaderCell>
          <Table.Cell><ScopeBadge scope={g.scope} /></Table.Cell>
          <Table.Cell>{g.officeName}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(g.grantedAt)}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{g.expiresOn}</Table.Cell>
          <Table.Cell style={{ maxWidth: 280 }}><Text size="2" color="gray" className="pre-wrap">{g.note ?? "—"}</Text></Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

export function SharedProblemTable({ problems }: { problems: SharedProblem[] }) {
  return (
    <DataTable
      label={t.problemsTable}
      columns={[
        { label: t.colSeq }, { label: t.colProblem }, { label: t.colCategory }, { label: t.colSeverity }, { label: t.colForm },
        { label: t.colOnTheSpot }, { label: t.colFedBack },
      ]}
    >
      {problems.map((p) => (
        <Table.Row key={p.seq} data-testid="shared-problem">
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{t.seqValue(p.seq)}</Table.Cell>
          <Table.RowHeaderCell style={{ maxWidth: 420 }}>
            <Text data-testid="shared-problem-title">{p.title}</Text>
            <Text as="div" size="1" color="gray" className="pre-wrap">{p.description}</Text>
          </Table.RowHeaderCell>
          <Table.Cell>
            {p.topCategory}
            {p.category !== p.topCategory ? <Text as="div" size="1" color="gray">{p.category}</Text> : null}
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

export function SharedItemTable({ items }: { items: SharedItem[] }) {
  return (
    <DataTable
      label={t.itemsTable}
      columns={[
        { label: t.colProblem }, { label: t.colMeasures }, { label: t.colResponsible }, { label: t.colKind },
        { label: t.colDeadline }, { label: t.colItemStatus }, { label: t.colUpdates },
      ]}
    >
      {items.map((i, n) => (
        <Table.Row key={n} data-testid="shared-item">
          <Table.RowHeaderCell style={{ maxWidth: 240 }}>
            <Text size="1" color="gray">{t.seqValue(i.problemSeq)}</Text>
            <Text as="div">{i.problemTitle}</Text>
          </Table.RowHeaderCell>
          <Table.Cell style={{ maxWidth: 320 }}><Text size="2" className="pre-wrap">{i.measures}</Text></Table.Cell>
          <Table.Cell>
            <Text as="div" size="2">{i.responsibleLeader ?? "—"}</Text>
            <Text as="div" size="1" color="gray">{[i.responsibleDepartment, i.responsiblePerson].filter(Boolean).join(" · ") || "—"}</Text>
          </Table.Cell>
          <Table.Cell><KindBadge kind={i.kind} /></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{i.deadline ?? "—"}</Table.Cell>
          <Table.Cell><ItemStatusBadge status={i.status} /></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{t.updatesValue(i.updates, i.lastReportedOn)}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

const figureColumns: [keyof SharedFigures, string][] = [
  ["problems", t.colProblems],
  ["onTheSpot", t.colOnTheSpotCount],
  ["deadlineItems", t.colDeadlineItems],
  ["fedBack", t.colFedBackCount],
  ["rectified", t.colRectified],
  ["overdueItems", t.colOverdue],
  ["leadsTransferred", t.colLeads],
  ["personsSanctioned", t.colSanctioned],
  ["personsJudicial", t.colJudicial],
];

export function SharedFiguresTable({ figures }: { figures: SharedFigures[] }) {
  const sum = (k: keyof SharedFigures) => figures.reduce((s, f) => s + Number(f[k]), 0);
  return (
    <DataTable
      label={t.figuresTable}
      columns={[{ label: t.colUnit }, { label: t.colGroup }, ...figureColumns.map(([, label]) => ({ label, align: "end" as const }))]}
    >
      {figures.map((f, n) => (
        <Table.Row key={n} data-testid="shared-figures">
          <Table.RowHeaderCell>{f.unitName}</Table.RowHeaderCell>
          <Table.Cell>{f.groupName}</Table.Cell>
          {figureColumns.map(([k]) => <Table.Cell key={k} justify="end">{f[k]}</Table.Cell>)}
        </Table.Row>
      ))}
      {figures.length > 1 ? (
        <Table.Row data-testid="shared-figures-sum">
          <Table.RowHeaderCell><Text weight="bold">{t.sum}</Text></Table.RowHeaderCell>
          <Table.Cell />
          {figureColumns.map(([k]) => <Table.Cell key={k} justify="end"><Text weight="bold">{sum(k)}</Text></Table.Cell>)}
        </Table.Row>
      ) : null}
    </DataTable>
  );
}
