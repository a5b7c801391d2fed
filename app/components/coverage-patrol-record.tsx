import { Link } from "@remix-run/react";
import { Badge, Card, Table, Text } from "@radix-ui/themes";
import { evaluationGradeLabel, groupRoleLabel } from "~/lib/messages";
import { coverageText as t } from "~/lib/messages/coverage";
import type { PatrolRecordRow } from "~/models/cadres.server";
import { DataTable } from "./data-table";

/** The group's units, shortened: a group covers two or three (一托二), a campaign more. */
function shortUnits(units: string) {
  const list = units.split("、");
  return list.length <= 3 ? units : t.unitsMore(list.slice(0, 3).join("、"), list.length);
}

const nowrap: React.CSSProperties = { whiteSpace: "nowrap" };

const gradeColor = { excellent: "green", competent: "blue", basic: "amber", incompetent: "red" } as const;

/** A cadre's service in patrol groups, with the evaluation each group gave him (巡察经历与考评). */
export function CoveragePatrolRecord({ rows }: { rows: PatrolRecordRow[] }) {
  if (!rows.length) {
    return <Card size="1"><Text as="p" color="gray" m="3">{t.patrolRecordEmpty}</Text></Card>;
  }
  return (
    <DataTable
      label={t.patrolRecord}
      columns={[{ label: t.round }, { label: t.group }, { label: t.role }, { label: t.stationDates }, { label: t.evaluation }, { label: t.evaluationNote }]}
    >
      {rows.map((r) => (
        <Table.Row key={r.id} data-testid="patrol-record-row">
          <Table.RowHeaderCell style={nowrap}>
            {r.roundId ? (
              <Link className="table-link" to={`/rounds/${r.roundId}`}>{`${r.termName}第${r.roundNumber}轮`}</Link>
            ) : (
              <Text color="gray">{t.roundHidden}</Text>
            )}
            {r.roundOrgName ? <Text as="div" size="1" color="gray">{r.roundOrgName}</Text> : null}
          </Table.RowHeaderCell>
          <Table.Cell>
            <Link className="table-link" to={`/groups/${r.groupId}`}>{r.groupName}</Link>
            {r.units ? <Text as="div" size="1" color="gray" title={r.units}>{shortUnits(r.units)}</Text> : null}
          </Table.Cell>
          <Table.Cell style={nowrap}>
            {groupRoleLabel[r.role]}
            {r.rotationWarning ? (
              <Badge ml="1" size="1" color="amber" variant="soft" title={t.rotationWarningTitle}>{t.rotationWarning}</Badge>
            ) : null}
          </Table.Cell>
          <Table.Cell style={nowrap}><Text size="2">{r.stationStart} 至 {r.stationEnd}</Text></Table.Cell>
          <Table.Cell data-testid="patrol-evaluation" style={nowrap}>
            {r.evaluation ? (
              <Badge color={gradeColor[r.evaluation]} variant="soft">{evaluationGradeLabel[r.evaluation]}</Badge>
            ) : (
              <Text color="gray" size="2">{t.notEvaluated}</Text>
            )}
          </Table.Cell>
          <Table.Cell><Text size="2">{r.evaluationNote ?? ""}</Text></Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
