import { Badge, Card, DataList, Table, Text } from "@radix-ui/themes";
import { feedbackFormLabel, feedbackText as t, problemSeverityLabel } from "~/lib/messages/feedback";
import type { FeedbackProblem, FeedbackRow } from "~/models/feedback.server";
import { DataTable } from "./data-table";

const when = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/** The feedback as given: from the row's own snapshots, which the unit's contacts can read. */
export function FeedbackRecord({ feedback: f }: { feedback: FeedbackRow }) {
  return (
    <Card size="3" data-testid="feedback-record">
      <DataList.Root>
        <DataList.Item><DataList.Label>{t.unit}</DataList.Label><DataList.Value>{f.unitName}</DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.group}</DataList.Label><DataList.Value>{f.groupName}</DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.supervisingOrg}</DataList.Label><DataList.Value>{f.supervisingOrgName}</DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.feedbackOn}</DataList.Label><DataList.Value>{f.feedbackOn}</DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.form}</DataList.Label><DataList.Value><Badge variant="soft">{feedbackFormLabel[f.form]}</Badge></DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.attendees}</DataList.Label><DataList.Value><Text className="pre-wrap">{f.attendees}</Text></DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.documentNo}</DataList.Label><DataList.Value>{f.documentNo ?? t.none}</DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.mainRecipients}</DataList.Label><DataList.Value>{f.mainRecipients}</DataList.Value></DataList.Item>
        <DataList.Item><DataList.Label>{t.ccRecipients}</DataList.Label><DataList.Value>{f.ccRecipients ?? t.none}</DataList.Value></DataList.Item>
        <DataList.Item>
          <DataList.Label>{t.planDue}</DataList.Label>
          <DataList.Value><Text weight="medium" data-testid="feedback-plan-due">{f.planDue}</Text></DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>{t.recordedAt}</DataList.Label>
          <DataList.Value>{`${f.createdBy ? `${f.createdBy} · ` : ""}${when(f.createdAt)}`}</DataList.Value>
        </DataList.Item>
      </DataList.Root>
    </Card>
  );
}

export function FeedbackProblemTable({ problems }: { problems: FeedbackProblem[] }) {
  return (
    <DataTable
      label={t.problems}
      columns={[{ label: t.problemSeq }, { label: t.problemTitle }, { label: t.category }, { label: t.severity }, { label: t.onTheSpot }]}
    >
      {problems.map((p) => (
        <Table.Row key={p.id} data-testid="feedback-problem-row">
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{t.problemSeqValue(p.seq)}</Table.RowHeaderCell>
          <Table.Cell>{p.title}</Table.Cell>
          <Table.Cell>{p.categoryName ?? t.none}</Table.Cell>
          <Table.Cell>
            <Badge color={p.severity === "grave" ? "red" : p.severity === "serious" ? "orange" : "gray"} variant="soft">
              {problemSeverityLabel[p.severity]}
            </Badge>
          </Table.Cell>
          <Table.Cell>{p.onTheSpot ? <Badge color="green" variant="soft">{t.onTheSpot}</Badge> : t.none}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
